using System.Text.Unicode;

namespace Orchestrator.Core.Exec;

/// <summary>
/// Cuts a command's output into event-sized chunks: at most <c>chunkBytes</c> each, never inside a
/// UTF-8 character (an incomplete trailing sequence waits for the next read), per stream, until the
/// per-command byte budget is spent; after that it only counts what it did not emit.
/// </summary>
public sealed class OutputChunker
{
    public const int DefaultChunkBytes = 8 * 1024;

    private readonly int _chunkBytes;
    private readonly long _budget;
    private readonly ChunkHandler _handler;
    private readonly byte[][] _carry = [new byte[4], new byte[4], new byte[4]];
    private readonly int[] _carryLength = new int[3];
    private byte[] _scratch = [];
    private long _emittedBytes;

    /// <summary>Receives each chunk; <paramref name="validUtf8"/> says whether it can be carried as text.</summary>
    public delegate void ChunkHandler(OutputStreamKind stream, ReadOnlySpan<byte> chunk, bool validUtf8);

    /// <param name="budgetBytes">Bytes to emit as events per command; 0 means unlimited.</param>
    public OutputChunker(long budgetBytes, ChunkHandler handler, int chunkBytes = DefaultChunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budgetBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 4);
        _budget = budgetBytes;
        _handler = handler;
        _chunkBytes = chunkBytes;
    }

    public long EmittedBytes => _emittedBytes;

    public long EmittedChunks { get; private set; }

    public long NotEmittedBytes { get; private set; }

    public long NotEmittedChunks { get; private set; }

    public bool BudgetExhausted => _budget > 0 && _emittedBytes >= _budget;

    /// <summary>True when a stream holds back the start of a character waiting for its next bytes.</summary>
    public bool HasPending(OutputStreamKind stream) => _carryLength[(int)stream] > 0;

    /// <summary>Counts output that bypassed the chunker once the budget was spent (spliced to the raw log).</summary>
    public void CountNotEmitted(long bytes)
    {
        if (!BudgetExhausted)
        {
            throw new InvalidOperationException("Output may bypass the chunker only once the budget is spent.");
        }

        NotEmittedBytes += bytes;
        NotEmittedChunks += (bytes + _chunkBytes - 1) / _chunkBytes;
    }

    public void Push(OutputStreamKind stream, ReadOnlySpan<byte> data)
    {
        int s = (int)stream;
        if (_carryLength[s] > 0)
        {
            int total = _carryLength[s] + data.Length;
            if (_scratch.Length < total)
            {
                _scratch = new byte[Math.Max(total, 64 * 1024)];
            }

            _carry[s].AsSpan(0, _carryLength[s]).CopyTo(_scratch);
            data.CopyTo(_scratch.AsSpan(_carryLength[s]));
            _carryLength[s] = 0;
            Process(stream, _scratch.AsSpan(0, total));
            return;
        }

        Process(stream, data);
    }

    /// <summary>Emits what a stream still holds back (an incomplete sequence at end of stream).</summary>
    public void Complete(OutputStreamKind stream)
    {
        int s = (int)stream;
        if (_carryLength[s] > 0)
        {
            int length = _carryLength[s];
            _carryLength[s] = 0;
            EmitRange(stream, _carry[s].AsSpan(0, length));
        }
    }

    private void Process(OutputStreamKind stream, ReadOnlySpan<byte> data)
    {
        int complete = Utf8Boundary.LastCompleteLength(data);
        ReadOnlySpan<byte> pending = data[complete..];
        EmitRange(stream, data[..complete]);
        if (!pending.IsEmpty)
        {
            pending.CopyTo(_carry[(int)stream]);
            _carryLength[(int)stream] = pending.Length;
        }
    }

    private void EmitRange(OutputStreamKind stream, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            long remaining = _budget == 0 ? long.MaxValue : _budget - _emittedBytes;
            if (remaining <= 0)
            {
                NotEmittedBytes += data.Length;
                NotEmittedChunks += (data.Length + _chunkBytes - 1) / _chunkBytes;
                return;
            }

            int max = (int)Math.Min(Math.Min(_chunkBytes, data.Length), remaining);
            int cut = max;
            if (max < data.Length)
            {
                cut = Utf8Boundary.LastCompleteLength(data[..max]);
                if (cut == 0)
                {
                    cut = max; // not UTF-8 at all here: cut anywhere, the chunk travels as base64
                }
            }

            ReadOnlySpan<byte> chunk = data[..cut];
            _handler(stream, chunk, Utf8.IsValid(chunk));
            _emittedBytes += cut;
            EmittedChunks++;
            data = data[cut..];
        }
    }
}
