using System.Collections.Concurrent;
using Microsoft.Build.Framework;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;

namespace Orchestrator.Tasks.Logging;

/// <summary>
/// Carries a run's output to the build log: an output tap turns every byte into lines (all output,
/// like Exec, whatever the event budget) and an event sink adds the command line; both queue to a
/// bounded collection the task's own thread drains, because MSBuild logging belongs to the task's
/// thread. A full queue blocks the reader and so the command (backpressure), never drops a line.
/// </summary>
internal sealed class BuildLogBridge : IOutputTap, IExecEventSink, IDisposable
{
    private const int QueueCapacity = 8192;

    /// <summary>ConsoleOutput keeps at most this many lines (the build log and the raw logs still get everything).</summary>
    public const int MaxConsoleLines = 100_000;

    private readonly BlockingCollection<BuildLogEntry> _queue = new(QueueCapacity);
    private readonly Dictionary<string, (LineAssembler Out, LineAssembler Err)> _assemblers = [];
    private readonly Lock _gate = new();
    private readonly MessageImportance _stdoutImportance;
    private readonly MessageImportance _stderrImportance;
    private readonly bool _stderrAsError;
    private readonly bool _echoOff;
    private readonly List<string>? _consoleLines;

    public BuildLogBridge(MessageImportance stdoutImportance, MessageImportance stderrImportance, bool stderrAsError, bool echoOff, bool collectConsole)
    {
        _stdoutImportance = stdoutImportance;
        _stderrImportance = stderrImportance;
        _stderrAsError = stderrAsError;
        _echoOff = echoOff;
        _consoleLines = collectConsole ? [] : null;
    }

    /// <summary>Lines of stdout and stderr in order (only when collecting for ConsoleToMSBuild).</summary>
    public IReadOnlyList<string> ConsoleLines => _consoleLines ?? (IReadOnlyList<string>)[];

    /// <summary>True when ConsoleOutput hit <see cref="MaxConsoleLines"/>.</summary>
    public bool ConsoleLinesTruncated { get; private set; }

    public void OnOutput(string execId, OutputStreamKind stream, ReadOnlySpan<byte> data)
    {
        var (stdout, stderr) = Assemblers(execId);
        (stream == OutputStreamKind.Stderr ? stderr : stdout).Append(data);
    }

    public void OnCompleted(string execId)
    {
        var (stdout, stderr) = Assemblers(execId);
        stdout.Flush();
        stderr.Flush();
        lock (_gate)
        {
            _assemblers.Remove(execId);
        }
    }

    public void Emit(ExecEvent executionEvent)
    {
        if (!_echoOff && executionEvent.Payload is ExecBeginPayload begin)
        {
            _queue.Add(new BuildLogEntry(BuildLogEntryKind.CommandLine, CommandDisplay.Escape(begin.Command), MessageImportance.Normal));
        }
    }

    /// <summary>No more entries will come; lets <see cref="Drain"/> finish.</summary>
    public void Complete() => _queue.CompleteAdding();

    /// <summary>Runs on the task's thread until <see cref="Complete"/>: logs every queued entry.</summary>
    public void Drain(Action<BuildLogEntry> log)
    {
        foreach (var entry in _queue.GetConsumingEnumerable())
        {
            log(entry);
        }
    }

    public void Dispose() => _queue.Dispose();

    private (LineAssembler Out, LineAssembler Err) Assemblers(string execId)
    {
        lock (_gate)
        {
            if (!_assemblers.TryGetValue(execId, out var pair))
            {
                pair = (new LineAssembler(line => Enqueue(line, error: false)), new LineAssembler(line => Enqueue(line, error: true)));
                _assemblers[execId] = pair;
            }

            return pair;
        }
    }

    private void Enqueue(string line, bool error)
    {
        if (_consoleLines is not null)
        {
            if (_consoleLines.Count < MaxConsoleLines)
            {
                _consoleLines.Add(line);
            }
            else
            {
                ConsoleLinesTruncated = true;
            }
        }

        if (error && _stderrAsError)
        {
            _queue.Add(new BuildLogEntry(BuildLogEntryKind.Error, line, MessageImportance.High));
        }
        else
        {
            _queue.Add(new BuildLogEntry(BuildLogEntryKind.Message, line, error ? _stderrImportance : _stdoutImportance));
        }
    }
}
