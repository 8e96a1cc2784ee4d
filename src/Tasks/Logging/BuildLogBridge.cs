using Microsoft.Build.Framework;
using Orchestrator.Core.Doors;
using Orchestrator.Core.Exec;

namespace Orchestrator.Tasks.Logging;

/// <summary>
/// Carries a run's output to the build log: an output tap turns every byte into lines (all output,
/// like Exec, whatever the event budget) and an event sink adds the command line; both queue to a
/// bounded collection the task's own thread drains, because MSBuild logging belongs to the task's
/// thread. A full queue blocks the reader and so the command (backpressure), never drops a line.
/// </summary>
internal sealed class BuildLogBridge : DoorLogQueue<BuildLogEntry>
{
    /// <summary>ConsoleOutput keeps at most this many lines (the build log and the raw logs still get everything).</summary>
    public const int MaxConsoleLines = 100_000;

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

    protected override BuildLogEntry OutputLine(OutputStreamKind stream, string line)
    {
        bool error = stream == OutputStreamKind.Stderr;
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

        return error && _stderrAsError
            ? new BuildLogEntry(BuildLogEntryKind.Error, line, MessageImportance.High)
            : new BuildLogEntry(BuildLogEntryKind.Message, line, error ? _stderrImportance : _stdoutImportance);
    }

    protected override bool TryCommandLine(string displayed, out BuildLogEntry entry)
    {
        entry = new BuildLogEntry(BuildLogEntryKind.CommandLine, displayed, MessageImportance.Normal);
        return !_echoOff;
    }
}
