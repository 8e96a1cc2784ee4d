namespace Orchestrator.Core.Runs;

/// <summary>
/// One call through the ToolOrchestrator: its approval, sandbox, and every attempt (each attempt is
/// also a command of the manifest, with its own raw logs).
/// </summary>
public sealed record ToolRunRecord
{
    /// <summary><c>tool-001</c>, <c>tool-002</c>, ... in the order of the run.</summary>
    public required string Id { get; init; }

    /// <summary>What made the call: <c>exec</c> for a plain command, a pipeline stage id later.</summary>
    public required string Tool { get; init; }

    public required string Command { get; init; }

    /// <summary><c>not-required</c>, <c>cache</c>, <c>config</c>, <c>prompt</c> or <c>denied</c>: the decisive approval.</summary>
    public required string ApprovalSource { get; init; }

    public required int RetryCount { get; init; }

    public required int AttemptCount { get; init; }

    /// <summary><c>sandboxed</c>, <c>escalated</c>, <c>unsandboxed</c>, <c>unavailable</c> or <c>failed</c>.</summary>
    public required string SandboxState { get; init; }

    /// <summary><c>running</c>, <c>succeeded</c>, <c>failed</c>, <c>timed_out</c>, <c>cancelled</c> or <c>denied</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Why it ended as it did, in words (a denial's reason, a sandbox refusal's evidence).</summary>
    public string? StatusDetail { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public IReadOnlyList<ToolRunAttempt> Attempts { get; init; } = [];
}
