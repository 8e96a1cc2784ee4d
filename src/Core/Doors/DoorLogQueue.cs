using System.Diagnostics.CodeAnalysis;
using System.Collections.Concurrent;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Doors;

/// <summary>
/// What a door with a log of its own (the MSBuild log, the Cake log) needs from a run: each
/// command's output cut into whole lines (per command and stream, so concurrent commands never mix
/// half lines), the command line when a command begins, all queued in order on the run's threads
/// and handed back on the door's own thread, which is the only one allowed to log. The door says
/// what a line becomes (<see cref="OutputLine"/>, <see cref="TryCommandLine"/>) and renders the entries.
/// </summary>
/// <typeparam name="TEntry">The door's log entry.</typeparam>
public abstract class DoorLogQueue<TEntry> : IOutputTap, IExecEventSink, IDisposable
{
    // A bounded queue: a command that floods its output waits for the log rather than filling memory.
    private const int QueueCapacity = 8192;

    private readonly BlockingCollection<TEntry> _queue = new(QueueCapacity);
    private readonly Dictionary<string, (LineAssembler Out, LineAssembler Err)> _assemblers = [];
    private readonly Lock _gate = new();

    /// <summary>The entry for one whole line a command wrote.</summary>
    protected abstract TEntry OutputLine(OutputStreamKind stream, string line);

    /// <summary>The entry for a command that begins (its line as displayed); false to log nothing (echo off).</summary>
    protected abstract bool TryCommandLine(string displayed, [MaybeNullWhen(false)] out TEntry entry);

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
        if (executionEvent.Payload is ExecBeginPayload begin && TryCommandLine(CommandDisplay.Escape(begin.Command), out TEntry? entry))
        {
            _queue.Add(entry);
        }
    }

    /// <summary>No more entries: the run is over.</summary>
    public void Complete() => _queue.CompleteAdding();

    /// <summary>Hands every entry to <paramref name="log"/>, in order, until <see cref="Complete"/>; call it on the door's thread.</summary>
    public void Drain(Action<TEntry> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        foreach (var entry in _queue.GetConsumingEnumerable())
        {
            log(entry);
        }
    }

    public void Dispose()
    {
        _queue.Dispose();
        GC.SuppressFinalize(this);
    }

    private (LineAssembler Out, LineAssembler Err) Assemblers(string execId)
    {
        lock (_gate)
        {
            if (!_assemblers.TryGetValue(execId, out var pair))
            {
                pair = (new LineAssembler(line => _queue.Add(OutputLine(OutputStreamKind.Stdout, line))),
                        new LineAssembler(line => _queue.Add(OutputLine(OutputStreamKind.Stderr, line))));
                _assemblers[execId] = pair;
            }

            return pair;
        }
    }
}
