namespace Orchestrator.Core.Tests.Telemetry;

/// <summary>
/// A protobuf wire-format reader, just enough to take OTLP requests apart in tests: walks the fields
/// of one message and hands out varints, fixed values and length-delimited slices.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public int Field { get; private set; }

    public int WireType { get; private set; }

    public bool Next()
    {
        if (_position >= _data.Length)
        {
            return false;
        }

        ulong tag = ReadVarint();
        Field = (int)(tag >> 3);
        WireType = (int)(tag & 7);
        return true;
    }

    public ulong Varint()
    {
        Expect(0);
        return ReadVarint();
    }

    public ulong Fixed64()
    {
        Expect(1);
        ulong value = BitConverter.ToUInt64(_data.Slice(_position, 8));
        _position += 8;
        return value;
    }

    public uint Fixed32()
    {
        Expect(5);
        uint value = BitConverter.ToUInt32(_data.Slice(_position, 4));
        _position += 4;
        return value;
    }

    public ReadOnlySpan<byte> Bytes()
    {
        Expect(2);
        int length = checked((int)ReadVarint());
        var value = _data.Slice(_position, length);
        _position += length;
        return value;
    }

    public string String() => System.Text.Encoding.UTF8.GetString(Bytes());

    public void Skip()
    {
        switch (WireType)
        {
            case 0: ReadVarint(); break;
            case 1: _position += 8; break;
            case 2: Bytes(); break;
            case 5: _position += 4; break;
            default: throw new InvalidDataException($"wire type {WireType} is not used by OTLP");
        }
    }

    private readonly void Expect(int wireType)
    {
        if (WireType != wireType)
        {
            throw new InvalidDataException($"field {Field} has wire type {WireType}, expected {wireType}");
        }
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
