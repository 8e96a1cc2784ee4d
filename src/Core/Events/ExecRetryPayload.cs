using System.Text.Json.Serialization;

namespace Orchestrator.Core.Events;

/// <summary>
/// Payload of <c>exec:retry</c>: an attempt failed in a way that may warrant another one, either
/// because the sandbox denied it (the next attempt, if approved, runs outside the sandbox) or
/// because the failure is configured as transient (the next one follows after a delay).
/// </summary>
public sealed record ExecRetryPayload : ExecEventPayload
{
    [JsonIgnore]
    public override string EventType => ExecEventTypes.ExecRetry;

    public required string ToolRunId { get; init; }

    /// <summary>The exec that failed.</summary>
    public required string ExecId { get; init; }

    /// <summary>The number the next attempt will have.</summary>
    public required int NextAttempt { get; init; }

    /// <summary><c>sandbox-denied</c>, <c>sandbox-failed</c>, <c>transient-exit-code</c> or <c>transient-output</c>.</summary>
    public required string Reason { get; init; }

    /// <summary>What showed it: the output line, the exit code.</summary>
    public required string Evidence { get; init; }

    /// <summary>How the next attempt will run: <c>sandboxed</c> again, or <c>escalated</c> once approved.</summary>
    public required string NextSandbox { get; init; }

    /// <summary>The backoff before the next attempt (0 for an escalation).</summary>
    public long DelayMs { get; init; }

    /// <summary>True when the next attempt needs an approval first (an escalation).</summary>
    public bool NeedsApproval { get; init; }
}
