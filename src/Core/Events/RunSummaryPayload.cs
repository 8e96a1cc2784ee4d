using System.Text.Json.Serialization;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Events;

/// <summary>Payload of <c>run:summary</c>, the last event of a run (also what notifications receive).</summary>
public sealed record RunSummaryPayload : ExecEventPayload
{
    [JsonIgnore]
    public override string EventType => ExecEventTypes.RunSummary;

    public required string TaskId { get; init; }

    public required string Status { get; init; }

    public string? StatusDetail { get; init; }

    public required long DurationMs { get; init; }

    public int? ExitCode { get; init; }

    public required CommandCounts Commands { get; init; }

    public required string ManifestPath { get; init; }
}
