using System.Text.Json.Serialization;

namespace Orchestrator.Core.Events;

/// <summary>Payload of <c>run:begin</c>.</summary>
public sealed record RunBeginPayload : ExecEventPayload
{
    [JsonIgnore]
    public override string EventType => ExecEventTypes.RunBegin;

    public required string TaskId { get; init; }

    public required string Runner { get; init; }

    public string? PipelineId { get; init; }

    public string? ParentRunId { get; init; }

    public required string Cwd { get; init; }

    public required string ManifestPath { get; init; }

    public required string EventsPath { get; init; }

    public required string ApprovalPolicy { get; init; }

    public required string SandboxMode { get; init; }
}
