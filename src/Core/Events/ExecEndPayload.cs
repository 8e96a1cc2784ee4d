using System.Text.Json.Serialization;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Events;

/// <summary>Payload of <c>exec:end</c>: how the command ended, with capped output and what was not emitted as events.</summary>
public sealed record ExecEndPayload : ExecEventPayload
{
    [JsonIgnore]
    public override string EventType => ExecEventTypes.ExecEnd;

    public required string ExecId { get; init; }

    public required int Index { get; init; }

    public required string Status { get; init; }

    public int? ExitCode { get; init; }

    public string? Signal { get; init; }

    public required long DurationMs { get; init; }

    public required StreamCapture Stdout { get; init; }

    public required StreamCapture Stderr { get; init; }

    public required EventStatsRecord Events { get; init; }

    public TerminationRecord? Termination { get; init; }

    public bool OutputDrainTimedOut { get; init; }

    public ErrorRecord? Error { get; init; }
}
