using System.Text.Json.Serialization;

namespace Orchestrator.Core.Events;

/// <summary>Payload of <c>tool:end</c>: how the call ended, over all its attempts.</summary>
public sealed record ToolEndPayload : ExecEventPayload
{
    [JsonIgnore]
    public override string EventType => ExecEventTypes.ToolEnd;

    public required string ToolRunId { get; init; }

    public required string Status { get; init; }

    public string? StatusDetail { get; init; }

    public required string SandboxState { get; init; }

    public required string ApprovalSource { get; init; }

    public required int AttemptCount { get; init; }

    public required int RetryCount { get; init; }

    public int? ExitCode { get; init; }
}
