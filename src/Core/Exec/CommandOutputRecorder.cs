using Microsoft.Win32.SafeHandles;

namespace Orchestrator.Core.Exec;

/// <summary>
/// Where a command's output goes as it is read: every byte to the raw log of its stream, a
/// head+tail copy to the stream's <see cref="StdioTracker"/>, and event-sized chunks (within the
/// per-command budget) to the chunk handler. Runs on the process I/O thread.
/// </summary>
public sealed class CommandOutputRecorder : IProcessOutputObserver, IDisposable
{
    private readonly SafeFileHandle?[] _logs = new SafeFileHandle?[3];
    private readonly long[] _logOffsets = new long[3];
    private readonly StdioTracker[] _trackers;
    private readonly OutputChunker _chunker;
    private readonly string _execId;
    private readonly IOutputTap[] _taps;
    private readonly bool[] _tapFailed;

    public CommandOutputRecorder(
        string stdoutLogPath,
        string stderrLogPath,
        OutputLimits limits,
        OutputChunker.ChunkHandler onChunk,
        string execId = "",
        IReadOnlyList<IOutputTap>? taps = null)
    {
        _execId = execId;
        _taps = taps is null ? [] : [.. taps];
        _tapFailed = new bool[_taps.Length];
        limits.Validate();
        _logs[(int)OutputStreamKind.Stdout] = OpenLog(stdoutLogPath);
        _logs[(int)OutputStreamKind.Stderr] = OpenLog(stderrLogPath);
        _trackers = [new StdioTracker(limits.CaptureBytes), new StdioTracker(limits.CaptureBytes), new StdioTracker(limits.CaptureBytes)];
        _chunker = new OutputChunker(limits.EventBudgetBytes, onChunk, limits.ChunkBytes);
    }

    public OutputChunker Chunker => _chunker;

    public void OnOutput(OutputStreamKind stream, ReadOnlySpan<byte> data)
    {
        int s = stream == OutputStreamKind.Pty ? (int)OutputStreamKind.Stdout : (int)stream;
        SafeFileHandle? log = _logs[s];
        if (log is not null)
        {
            RandomAccess.Write(log, data, _logOffsets[s]);
            _logOffsets[s] += data.Length;
        }

        _trackers[s].Append(data);
        _chunker.Push(stream, data);
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

    /// <summary>Flushes what the chunker still holds back at end of output.</summary>
    public void Complete()
    {
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

    public void Dispose()
    {
        foreach (var log in _logs)
        {
            log?.Dispose();
        }
    }

    private static SafeFileHandle OpenLog(string path) =>
        File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
}
