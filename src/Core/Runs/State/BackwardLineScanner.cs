using System.Runtime.InteropServices;

namespace Orchestrator.Core.Runs.State;

/// <summary>
/// Walks a JSONL file from a given end towards its start with positioned reads (pread), a small block
/// first and doubling up to <see cref="MaxBlock"/>. Finding the last line costs the length of that
/// line, whatever the size of the file; memory is bounded by the longest line plus one block,
/// because bytes past the line being looked at are dropped as the scan moves back.
/// </summary>
internal sealed unsafe class BackwardLineScanner
{
    /// <summary>Large enough for a typical line and its predecessor's newline in one read.</summary>
    public const int FirstBlock = 512;

    public const int MaxBlock = 64 * 1024;

    private readonly int _fd;
    private readonly long _end;
    private byte[] _data = [];
    private long _dataStart;
    private int _dataLength;
    private int _block = FirstBlock;

    /// <param name="fd">A descriptor open for reading; not owned.</param>
    /// <param name="end">Nothing at or after this offset is read.</param>
    public BackwardLineScanner(int fd, long end)
    {
        _fd = fd;
        _end = end;
        _dataStart = end;
    }

    /// <summary>Bytes read from the file so far.</summary>
    public long BytesRead { get; private set; }

    public byte ByteAt(long offset)
    {
        EnsureFrom(offset, keepUntil: _end);
        return _data[(int)(offset - _dataStart)];
    }

    /// <summary>The offset of the last '\n' before <paramref name="before"/>, or -1 when there is none.</summary>
    public long LastNewlineBefore(long before)
    {
        while (true)
        {
            long searchEnd = Math.Min(before, _dataStart + _dataLength);
            int count = (int)Math.Max(0, searchEnd - _dataStart);
            int index = _data.AsSpan(0, count).LastIndexOf((byte)'\n');
            if (index >= 0)
            {
                return _dataStart + index;
            }

            if (_dataStart == 0)
            {
                return -1;
            }

            // Bytes at or after 'before' are never needed again by a scan moving backwards.
            Extend(keepUntil: before);
        }
    }

    /// <summary>The bytes of [<paramref name="start"/>, <paramref name="end"/>), which a previous call has read.</summary>
    public ReadOnlySpan<byte> Slice(long start, long end)
    {
        EnsureFrom(start, keepUntil: end);
        return _data.AsSpan((int)(start - _dataStart), (int)(end - start));
    }

    private void EnsureFrom(long offset, long keepUntil)
    {
        while (_dataStart > offset)
        {
            Extend(keepUntil);
        }
    }

    private void Extend(long keepUntil)
    {
        int read = (int)Math.Min(_block, _dataStart);
        int keep = (int)Math.Max(0, Math.Min(keepUntil, _dataStart + _dataLength) - _dataStart);
        if (_data.Length < read + keep)
        {
            byte[] larger = new byte[Math.Max(read + keep, _data.Length * 2)];
            _data.AsSpan(0, keep).CopyTo(larger.AsSpan(read));
            _data = larger;
        }
        else
        {
            // Reuse the buffer: the kept bytes move up to make room for the block before them.
            _data.AsSpan(0, keep).CopyTo(_data.AsSpan(read));
        }

        long from = _dataStart - read;
        ReadExactlyAt(_data.AsSpan(0, read), from);
        _dataStart = from;
        _dataLength = read + keep;
        _block = Math.Min(_block * 2, MaxBlock);
    }

    private void ReadExactlyAt(Span<byte> buffer, long offset)
    {
        int done = 0;
        fixed (byte* pointer = buffer)
        {
            while (done < buffer.Length)
            {
                nint n = TaskStateNative.pread(_fd, pointer + done, buffer.Length - done, offset + done);
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Native.LibC.EINTR)
                    {
                        continue;
                    }

                    throw new IOException($"Cannot read the task state file: {Marshal.GetPInvokeErrorMessage(errno)}");
                }

                if (n == 0)
                {
                    // The file shrank under us: only a torn tail (bytes after the last '\n') is ever
                    // truncated, and a reader ignores that region anyway. Zeros hold no newline.
                    buffer[done..].Clear();
                    break;
                }

                BytesRead += n;
                done += (int)n;
            }
        }
    }
}
