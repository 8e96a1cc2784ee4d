using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Commands;

/// <summary>How one command ended, with its capped output and where its complete output is.</summary>
public sealed record CommandResult
{
    public required int Index { get; init; }

    public required string Id { get; init; }

    public required string ExecId { get; init; }

    public required CommandStatus Status { get; init; }

    public int? ExitCode { get; init; }

    public string? Signal { get; init; }

    public int? Pid { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary>The timeout the command ran under, if any.</summary>
    public TimeSpan? Timeout { get; init; }

    public required StreamCapture Stdout { get; init; }

    public required StreamCapture Stderr { get; init; }

    /// <summary>Absolute path of the complete raw stdout; null when the command wrote nothing to it (no file is made).</summary>
    public string? StdoutLogPath { get; init; }

    /// <summary>Absolute path of the complete raw stderr; null when the command wrote nothing to it.</summary>
    public string? StderrLogPath { get; init; }

    /// <summary>The command's final manifest record (the ToolOrchestrator writes it with its tool run).</summary>
    internal CommandRecord? Record { get; init; }

    public required EventStatsRecord Events { get; init; }

    public TerminationRecord? Termination { get; init; }

    public bool OutputDrainTimedOut { get; init; }

    public ErrorRecord? Error { get; init; }

    public bool Succeeded => Status == CommandStatus.Succeeded;
}
