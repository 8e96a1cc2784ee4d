using System.Text.Json.Serialization;

namespace Orchestrator.Core.Events;

/// <summary>Payload of <c>tool:begin</c>: a call enters the ToolOrchestrator (before any approval or attempt).</summary>
public sealed record ToolBeginPayload : ExecEventPayload
{
    [JsonIgnore]
    public override string EventType => ExecEventTypes.ToolBegin;

    public required string ToolRunId { get; init; }

    public required string Tool { get; init; }

    public required string Command { get; init; }

    public required string ApprovalPolicy { get; init; }

    public required string SandboxMode { get; init; }

    public required bool NetworkAccess { get; init; }

    /// <summary>The command asked to run outside the sandbox.</summary>
    public bool EscalationRequested { get; init; }
}
