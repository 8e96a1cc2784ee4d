using System.Buffers;

namespace Orchestrator.Core;

/// <summary>One line of a JSONL file: its bytes without the newline, and whether the newline was there.</summary>
internal readonly record struct JsonlLine(ReadOnlyMemory<byte> Bytes, bool Terminated);

/// <summary>Splits a stream into '\n'-terminated lines without decoding them (events are parsed from UTF-8 directly).</summary>
internal sealed class JsonlLineReader(Stream stream)
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>The next line (valid until the next call), or null at the end of the stream.</summary>
    public async ValueTask<JsonlLine?> ReadLineAsync(CancellationToken cancellationToken)
    {
        int scanFrom = _start;
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', scanFrom, _end - scanFrom);
            if (newline >= 0)
            {
                var line = new JsonlLine(_buffer.AsMemory(_start, newline - _start), true);
                _start = newline + 1;
                return line;
            }

            if (_eof)
            {
                if (_start == _end)
                {
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = [];
                    _start = _end = 0;
                    return null;
                }

                var tail = new JsonlLine(_buffer.AsMemory(_start, _end - _start), false);
                _start = _end;
                return tail;
            }

            // Make room: slide the partial line to the front, grow if one line fills the buffer.
            int pending = _end - _start;
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
                _start = 0;
                _end = pending;
            }
            else if (_end == _buffer.Length)
            {
                byte[] larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                Buffer.BlockCopy(_buffer, 0, larger, 0, pending);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            scanFrom = _end;
            int read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
        }
    }
}
