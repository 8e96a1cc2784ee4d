namespace Orchestrator.Core.Runs;

/// <summary>
/// One call through the ToolOrchestrator: approval, sandbox choice, attempts and retries.
/// </summary>
public sealed record ToolRunRecord
{
    public required string Id { get; init; }

    public required string Tool { get; init; }

    public required string Command { get; init; }

    /// <summary><c>not-required</c>, <c>cache</c>, <c>config</c>, <c>prompt</c> or <c>denied</c>.</summary>
    public required string ApprovalSource { get; init; }

    public required int RetryCount { get; init; }

    public required int AttemptCount { get; init; }

    /// <summary><c>sandboxed</c>, <c>escalated</c>, <c>unsandboxed</c>, <c>unavailable</c> or <c>failed</c>.</summary>
    public required string SandboxState { get; init; }

    public required string Status { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public IReadOnlyList<ToolRunAttempt> Attempts { get; init; } = [];
}
