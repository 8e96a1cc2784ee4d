using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Orchestrator.Core.Events.Handles;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Security;

namespace Orchestrator.Core.Commands;

/// <summary>
/// Where a command's output goes as it is read: first through the secret redactor of its stream
/// (when the command has secrets), then every byte to the raw log of its stream, a head+tail copy
/// to the stream's <see cref="StdioTracker"/>, event-sized chunks (within the per-command budget)
/// to the chunk handler, frames to the output handles, and the door taps. Nothing downstream of
/// the redactor ever sees a secret. Runs on the process I/O thread.
/// </summary>
public sealed class CommandOutputRecorder : IProcessOutputObserver, ISpliceTarget, IDisposable
{
    private readonly SafeFileHandle?[] _logs = new SafeFileHandle?[3];
    private readonly string?[] _logPaths = new string?[3];
    private readonly long[] _logOffsets = new long[3];
    private readonly StdioTracker[] _trackers;
    private readonly OutputChunker _chunker;
    private readonly string _execId;
    private readonly IOutputTap[] _taps;
    private readonly bool[] _tapFailed;
    private readonly bool[] _spliced = new bool[3];
    private readonly StreamingRedactor?[] _redactors = new StreamingRedactor?[3];
    private readonly ArrayBufferWriter<byte>? _redacted;
    private readonly OutputHandle[] _handles;
    private readonly Func<string, SafeFileHandle>? _createLog;
    private readonly IReadOnlyList<string>? _logNames;

    public CommandOutputRecorder(
        string stdoutLogPath,
        string stderrLogPath,
        OutputLimits limits,
        OutputChunker.ChunkHandler onChunk,
        string execId = "",
        IReadOnlyList<IOutputTap>? taps = null,
        SecretSet? secrets = null,
        IReadOnlyList<OutputHandle>? handles = null,
        Func<string, SafeFileHandle>? createLog = null,
        IReadOnlyList<string>? logNames = null)
    {
        _createLog = createLog;
        _logNames = logNames;
        _execId = execId;
        _handles = handles is null ? [] : [.. handles];
        if (secrets is { IsEmpty: false })
        {
            for (int i = 0; i < _redactors.Length; i++)
            {
                _redactors[i] = new StreamingRedactor(secrets);
            }

            _redacted = new ArrayBufferWriter<byte>(64 * 1024);
        }

        _taps = taps is null ? [] : [.. taps];
        _tapFailed = new bool[_taps.Length];
        limits.Validate();
        // Created on the first byte: a command that prints nothing costs no files (file creation
        // is the dominant cost of a quick command on some file systems).
        _logPaths[(int)OutputStreamKind.Stdout] = stdoutLogPath;
        _logPaths[(int)OutputStreamKind.Stderr] = stderrLogPath;
        _trackers = [new StdioTracker(limits.CaptureBytes), new StdioTracker(limits.CaptureBytes), new StdioTracker(limits.CaptureBytes)];
        _chunker = new OutputChunker(limits.EventBudgetBytes, onChunk, limits.ChunkBytes);
    }

    public OutputChunker Chunker => _chunker;

    public void OnOutput(OutputStreamKind stream, ReadOnlySpan<byte> data)
    {
        if (_redactors[(int)stream] is StreamingRedactor redactor)
        {
            _redacted!.ResetWrittenCount();
            long masks = redactor.MasksWritten;
            redactor.Redact(data, _redacted);
            if (_redacted.WrittenCount > 0)
            {
                Record(stream, _redacted.WrittenSpan, redactor.MasksWritten != masks);
            }

            return;
        }

        Record(stream, data);
    }

    private void Record(OutputStreamKind stream, ReadOnlySpan<byte> data, bool redacted = false)
    {
        int s = stream == OutputStreamKind.Pty ? (int)OutputStreamKind.Stdout : (int)stream;
        SafeFileHandle log = _logs[s] ??= OpenLog(s);
        try
        {
            RandomAccess.Write(log, data, _logOffsets[s]);
        }
        catch (IOException ex)
        {
            // Named here: the runtime's message does not always carry the path.
            throw new IOException($"Cannot write the raw log '{_logPaths[s]}': {ex.Message}", ex);
        }

        _logOffsets[s] += data.Length;

        _trackers[s].Append(data);
        _chunker.Push(stream, data);
        foreach (OutputHandle handle in _handles)
        {
            handle.Append(CommandExecutor.StreamName(stream), data, redacted);
        }

        for (int i = 0; i < _taps.Length; i++)
        {
            if (_tapFailed[i])
            {
                continue;
            }

            try
            {
                _taps[i].OnOutput(_execId, stream, data);
            }
            catch (Exception)
            {
                // A door's log must never stop the raw log or the events: detach it.
                _tapFailed[i] = true;
            }
        }
    }

    /// <summary>
    /// Splicing is allowed for a pipe stream once nothing but the raw log needs its bytes: the event
    /// budget is spent, the head capture is full, no character is pending, no door tap listens and
    /// there is no secret to redact. The tail capture is then read back from the raw log at the end;
    /// handles get frames that say how many bytes went to the log.
    /// </summary>
    public bool TryGetSpliceTarget(OutputStreamKind stream, out int fileDescriptor, out long offset)
    {
        fileDescriptor = -1;
        offset = 0;
        if (stream == OutputStreamKind.Pty || !_chunker.BudgetExhausted || _chunker.HasPending(stream) ||
            !_trackers[(int)stream].HeadFull || _tapFailed.Contains(false) || _redacted is not null)
        {
            return false;
        }

        SafeFileHandle? log = _logs[(int)stream];
        if (log is null)
        {
            return false;
        }

        fileDescriptor = (int)log.DangerousGetHandle();
        offset = _logOffsets[(int)stream];
        return true;
    }

    public Exception SpliceFailed(OutputStreamKind stream, int errno) =>
        new IOException($"Cannot write the raw log '{_logPaths[(int)stream]}': {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}", errno);

    public void OnSpliced(OutputStreamKind stream, long count)
    {
        int s = (int)stream;
        _logOffsets[s] += count;
        _trackers[s].CountUnseen(count);
        _chunker.CountNotEmitted(count);
        _spliced[s] = true;
        foreach (OutputHandle handle in _handles)
        {
            handle.AppendElided(CommandExecutor.StreamName(stream), count);
        }
    }

    /// <summary>Flushes what the chunker still holds back at end of output.</summary>
    public void Complete()
    {
        // What a redactor held back (it might have been the start of a secret) is output too.
        for (int i = 0; i < _redactors.Length; i++)
        {
            if (_redactors[i] is StreamingRedactor redactor)
            {
                _redacted!.ResetWrittenCount();
                long masks = redactor.MasksWritten;
                redactor.Flush(_redacted);
                if (_redacted.WrittenCount > 0)
                {
                    Record((OutputStreamKind)i, _redacted.WrittenSpan, redactor.MasksWritten != masks);
                }
            }
        }

        foreach (var stream in (ReadOnlySpan<OutputStreamKind>)[OutputStreamKind.Stdout, OutputStreamKind.Stderr])
        {
            int s = (int)stream;
            if (_spliced[s] && _logs[s] is SafeFileHandle log)
            {
                var tracker = _trackers[s];
                byte[] tail = new byte[tracker.ExpectedTailLength];
                int read = RandomAccess.Read(log, tail, _logOffsets[s] - tail.Length);
                tracker.RestoreTail(tail.AsSpan(0, read));
            }
        }

        _chunker.Complete(OutputStreamKind.Stdout);
        _chunker.Complete(OutputStreamKind.Stderr);
        _chunker.Complete(OutputStreamKind.Pty);
        for (int i = 0; i < _taps.Length; i++)
        {
            if (!_tapFailed[i])
            {
                try
                {
                    _taps[i].OnCompleted(_execId);
                }
                catch (Exception)
                {
                    _tapFailed[i] = true;
                }
            }
        }
    }

    public StreamCapture Capture(OutputStreamKind stream) => _trackers[(int)stream].Snapshot();

    /// <summary>The raw log of a stream, or null when the stream wrote nothing (and so has no file).</summary>
    public string? LogPath(OutputStreamKind stream) => _logs[(int)stream] is null ? null : _logPaths[(int)stream];

    public void Dispose()
    {
        foreach (var log in _logs)
        {
            log?.Dispose();
        }
    }

    // Read access lets Complete() read the tail back after the kernel spliced bytes into the log.
    // A run's logs are created by its recorder, beneath its verified directory handle.
    private SafeFileHandle OpenLog(int stream)
    {
        if (_createLog is not null && _logNames is not null)
        {
            return _createLog(_logNames[stream]);
        }

        string path = _logPaths[stream]!;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
    }
}
