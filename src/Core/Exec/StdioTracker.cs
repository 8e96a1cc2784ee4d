using System.Text;
using System.Text.Unicode;

namespace Orchestrator.Core.Exec;

/// <summary>
/// Keeps the head and the tail of one output stream within a fixed byte cap: the first half of the
/// cap is filled once, the second half is a ring that always holds the latest bytes. Each append
/// costs O(chunk) and memory is constant whatever the output size; the middle is replaced by a
/// marker naming how many bytes were omitted.
/// </summary>
public sealed class StdioTracker
{
    public const int DefaultCapBytes = 64 * 1024;

    private readonly byte[] _head;
    private readonly byte[] _tail;
    private int _headLength;
    private int _tailStart;
    private int _tailLength;

    public StdioTracker(int capBytes = DefaultCapBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capBytes, 2);
        _head = new byte[capBytes / 2];
        _tail = new byte[capBytes - (capBytes / 2)];
    }

    public int CapBytes => _head.Length + _tail.Length;

    /// <summary>Every byte ever appended.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>Bytes dropped from the middle.</summary>
    public long OmittedBytes => Math.Max(0, TotalBytes - _headLength - _tailLength);

    public bool Truncated => OmittedBytes > 0;

    public void Append(ReadOnlySpan<byte> data)
    {
        TotalBytes += data.Length;
        if (_headLength < _head.Length)
        {
            int take = Math.Min(_head.Length - _headLength, data.Length);
            data[..take].CopyTo(_head.AsSpan(_headLength));
            _headLength += take;
            data = data[take..];
        }

        if (data.IsEmpty)
        {
            return;
        }

        int capacity = _tail.Length;
        if (data.Length >= capacity)
        {
            data[^capacity..].CopyTo(_tail);
            _tailStart = 0;
            _tailLength = capacity;
            return;
        }

        // Write at the ring's end position, wrapping once at most.
        int end = (_tailStart + _tailLength) % capacity;
        int first = Math.Min(capacity - end, data.Length);
        data[..first].CopyTo(_tail.AsSpan(end));
        data[first..].CopyTo(_tail);
        int newLength = _tailLength + data.Length;
        if (newLength > capacity)
        {
            _tailStart = (_tailStart + (newLength - capacity)) % capacity;
            newLength = capacity;
        }

        _tailLength = newLength;
    }

    /// <summary>The head is complete: later bytes only ever affect the tail.</summary>
    public bool HeadFull => _headLength == _head.Length;

    /// <summary>The tail capacity in bytes.</summary>
    public int TailCapacity => _tail.Length;

    /// <summary>
    /// Counts bytes that went past this tracker (spliced to the raw log by the kernel). Only allowed
    /// once the head is full; the tail is then stale until <see cref="RestoreTail"/> sets it from the log.
    /// </summary>
    public void CountUnseen(long count)
    {
        if (!HeadFull)
        {
            throw new InvalidOperationException("Bytes may bypass the tracker only once its head is full.");
        }

        TotalBytes += count;
    }

    /// <summary>How many bytes the tail should hold now (the latest bytes after the head, up to its capacity).</summary>
    public int ExpectedTailLength => (int)Math.Min(_tail.Length, TotalBytes - _headLength);

    /// <summary>Replaces the tail with the stream's last bytes, read back from the complete raw log.</summary>
    public void RestoreTail(ReadOnlySpan<byte> lastBytes)
    {
        if (lastBytes.Length != ExpectedTailLength)
        {
            throw new ArgumentException($"Expected the last {ExpectedTailLength} bytes, got {lastBytes.Length}.", nameof(lastBytes));
        }

        lastBytes.CopyTo(_tail);
        _tailStart = 0;
        _tailLength = lastBytes.Length;
    }

    /// <summary>The kept head bytes.</summary>
    public ReadOnlySpan<byte> Head => _head.AsSpan(0, _headLength);

    /// <summary>The kept tail bytes in order (a copy, since the ring may wrap).</summary>
    public byte[] TailBytes()
    {
        byte[] result = new byte[_tailLength];
        int first = Math.Min(_tail.Length - _tailStart, _tailLength);
        _tail.AsSpan(_tailStart, first).CopyTo(result);
        _tail.AsSpan(0, _tailLength - first).CopyTo(result.AsSpan(first));
        return result;
    }

    /// <summary>
    /// The captured text: head, then (if anything was dropped) a marker line, then tail. The cut
    /// points are moved to UTF-8 character boundaries so no character is split; bytes that are not
    /// valid UTF-8 become U+FFFD here (the raw log keeps them).
    /// </summary>
    public StreamCapture Snapshot()
    {
        byte[] tail = TailBytes();
        long omitted = OmittedBytes;
        if (omitted == 0)
        {
            byte[] all = new byte[_headLength + tail.Length];
            Head.CopyTo(all);
            tail.CopyTo(all.AsSpan(_headLength));
            return new StreamCapture(Encoding.UTF8.GetString(all), false, TotalBytes, 0, !Utf8.IsValid(all));
        }

        ReadOnlySpan<byte> head = Head[..Utf8Boundary.LastCompleteLength(Head)];
        ReadOnlySpan<byte> shownTail = tail.AsSpan(Utf8Boundary.LeadingContinuationBytes(tail));
        long shownOmitted = TotalBytes - head.Length - shownTail.Length;
        string text = Encoding.UTF8.GetString(head) +
                      $"\n... [{shownOmitted} bytes omitted] ...\n" +
                      Encoding.UTF8.GetString(shownTail);
        return new StreamCapture(text, true, TotalBytes, shownOmitted, !Utf8.IsValid(head) || !Utf8.IsValid(shownTail));
    }
}
