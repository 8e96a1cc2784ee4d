using System.Collections.Concurrent;
using Cake.Core.Diagnostics;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;

namespace Cake.Orchestrator.Logging;

/// <summary>
/// Carries a run's output into the Cake log as it arrives: an output tap turns every byte into lines
/// (all output, whatever the event budget) and an event sink adds the command line. Lines are queued
/// and written by the alias's own thread (the one Cake called it on), so the log sees one writer; a
/// full queue blocks the reader and so the command (backpressure), never drops a line.
/// </summary>
internal sealed class CakeLogBridge : IOutputTap, IExecEventSink, IDisposable
{
    private const int QueueCapacity = 8192;

    private readonly BlockingCollection<(LogLevel Level, Verbosity Verbosity, string Text)> _queue = new(QueueCapacity);
    private readonly Dictionary<string, (LineAssembler Out, LineAssembler Err)> _assemblers = [];
    private readonly Lock _gate = new();
    private readonly Verbosity _outputVerbosity;
    private readonly bool _echoOff;

    public CakeLogBridge(Verbosity outputVerbosity, bool echoOff)
    {
        _outputVerbosity = outputVerbosity;
        _echoOff = echoOff;
    }

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
            _queue.Add((LogLevel.Information, Verbosity.Normal, "> " + CommandDisplay.Escape(begin.Command)));
        }
    }

    /// <summary>No more lines will come; lets <see cref="Drain"/> finish.</summary>
    public void Complete() => _queue.CompleteAdding();

    /// <summary>Runs on the caller's thread until <see cref="Complete"/>: writes every queued line.</summary>
    public void Drain(ICakeLog log)
    {
        foreach (var (level, verbosity, text) in _queue.GetConsumingEnumerable())
        {
            // The text is an argument, never the format: output with braces must not be parsed.
            log.Write(verbosity, level, "{0}", text);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> off the script's thread while this thread writes its output into
    /// the Cake log as it arrives (Cake's log is not thread-safe); a Core failure becomes a
    /// <see cref="Cake.Core.CakeException"/> with its ORCH code.
    /// </summary>
    public T RunAndDrain<T>(ICakeLog log, Func<Task<T>> work)
    {
        var run = Task.Run(async () =>
        {
            try
            {
                return await work().ConfigureAwait(false);
            }
            finally
            {
                Complete();
            }
        });
        Drain(log);
        try
        {
            return run.GetAwaiter().GetResult();
        }
        catch (global::Orchestrator.Core.OrchestratorException ex)
        {
            throw OrchestratorFailures.From(ex);
        }
    }

    public void Dispose() => _queue.Dispose();

    private (LineAssembler Out, LineAssembler Err) Assemblers(string execId)
    {
        lock (_gate)
        {
            if (!_assemblers.TryGetValue(execId, out var pair))
            {
                pair = (new LineAssembler(line => _queue.Add((LogLevel.Information, _outputVerbosity, line))),
                        new LineAssembler(line => _queue.Add((LogLevel.Information, _outputVerbosity, line))));
                _assemblers[execId] = pair;
            }

            return pair;
        }
    }
}
