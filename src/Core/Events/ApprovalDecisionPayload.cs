using System.Text.Json.Serialization;

namespace Orchestrator.Core.Events;

/// <summary>Payload of <c>approval:decision</c>: an approval question and its answer (also in the manifest's <c>approvals[]</c>).</summary>
public sealed record ApprovalDecisionPayload : ExecEventPayload
{
    [JsonIgnore]
    public override string EventType => ExecEventTypes.ApprovalDecision;

    public required string ToolRunId { get; init; }

    public required string Key { get; init; }

    /// <summary><c>run</c> or <c>escalate</c>.</summary>
    public required string Action { get; init; }

    public required string Command { get; init; }

    /// <summary><c>approved</c> or <c>denied</c>.</summary>
    public required string Decision { get; init; }

    /// <summary><c>cache</c>, <c>config</c>, <c>prompt</c> or <c>denied</c>.</summary>
    public required string Source { get; init; }

    public required string Scope { get; init; }

    public required string Actor { get; init; }

    public required string Reason { get; init; }
}
