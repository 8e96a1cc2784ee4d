using Cake.Core.Diagnostics;
using Orchestrator.Core.Doors;
using Orchestrator.Core.Exec;

namespace Cake.Orchestrator.Logging;

/// <summary>
/// Carries a run's output into the Cake log as it arrives: an output tap turns every byte into lines
/// (all output, whatever the event budget) and an event sink adds the command line. Lines are queued
/// and written by the alias's own thread (the one Cake called it on), so the log sees one writer; a
/// full queue blocks the reader and so the command (backpressure), never drops a line.
/// </summary>
internal sealed class CakeLogBridge : DoorLogQueue<(LogLevel Level, Verbosity Verbosity, string Text)>
{
    private readonly Verbosity _outputVerbosity;
    private readonly bool _echoOff;

    public CakeLogBridge(Verbosity outputVerbosity, bool echoOff)
    {
        _outputVerbosity = outputVerbosity;
        _echoOff = echoOff;
    }

    /// <summary>Writes every entry to the Cake log until the run is over; call it on the script's thread.</summary>
    public void Drain(ICakeLog log) =>
        // The text is an argument, never the format: output with braces must not be parsed.
        Drain(entry => log.Write(entry.Verbosity, entry.Level, "{0}", entry.Text));

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

    protected override (LogLevel Level, Verbosity Verbosity, string Text) OutputLine(OutputStreamKind stream, string line) =>
        (LogLevel.Information, _outputVerbosity, line);

    protected override bool TryCommandLine(string displayed, out (LogLevel Level, Verbosity Verbosity, string Text) entry)
    {
        entry = (LogLevel.Information, Verbosity.Normal, "> " + displayed);
        return !_echoOff;
    }
}
