using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Runs;

/// <summary>One command of a run, as the manifest records it.</summary>
public sealed record CommandRecord
{
    /// <summary>1-based position in the run.</summary>
    public required int Index { get; init; }

    /// <summary>Stable id, <c>[A-Za-z0-9._-]</c>; also names the raw log files.</summary>
    public required string Id { get; init; }

    public required string Title { get; init; }

    /// <summary>The tool run this command is an attempt of.</summary>
    public string? ToolRunId { get; init; }

    /// <summary>Which attempt of its tool run (1-based).</summary>
    public int? Attempt { get; init; }

    /// <summary><c>sandboxed</c>, <c>escalated</c>, <c>unsandboxed</c>, <c>unavailable</c> or <c>failed</c>: how it ran.</summary>
    public string? Sandbox { get; init; }

    /// <summary>The command as a person reads it: the shell line, or the argv quoted for a POSIX shell.</summary>
    public required string Command { get; init; }

    /// <summary>The argv when the command is not a shell line.</summary>
    public IReadOnlyList<string>? Argv { get; init; }

    public required bool Shell { get; init; }

    /// <summary>It ran on a pseudo-terminal: stdout holds the merged terminal output (readable text; the raw log is exact).</summary>
    public bool Pty { get; init; }

    /// <summary>The terminal size it ran with (PTY only).</summary>
    public TerminalSize? Terminal { get; init; }

    /// <summary>The session it ran in; null when it had a process of its own.</summary>
    public string? Session { get; init; }

    public required string Cwd { get; init; }

    /// <summary>The environment overlay: set values (secret-looking ones as <c>***</c>), null for a removed variable.</summary>
    public IReadOnlyDictionary<string, string?>? Env { get; init; }

    public required CommandStatus Status { get; init; }

    /// <summary>Why the command has its status when the status alone does not say (e.g. why it was skipped).</summary>
    public string? StatusDetail { get; init; }

    public int? ExitCode { get; init; }

    public string? Signal { get; init; }

    public int? Pid { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public long? DurationMs { get; init; }

    public long? TimeoutMs { get; init; }

    public StreamCapture? Stdout { get; init; }

    public StreamCapture? Stderr { get; init; }

    /// <summary>The raw logs, relative to the run directory; null for a command that never ran (skipped).</summary>
    public CommandLogPaths? Logs { get; init; }

    public EventStatsRecord? Events { get; init; }

    public TerminationRecord? Termination { get; init; }

    public bool OutputDrainTimedOut { get; init; }

    public ErrorRecord? Error { get; init; }

    /// <summary>The pipeline stage the command belongs to (pipeline runs only).</summary>
    public string? Stage { get; init; }

    /// <summary>For a command a resume skipped: the run it succeeded in.</summary>
    public string? SucceededInRunId { get; init; }

    /// <summary>For a sub-pipeline step: the child run it started (see the manifest's childRuns).</summary>
    public string? ChildRunId { get; init; }
}
