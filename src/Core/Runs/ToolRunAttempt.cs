namespace Orchestrator.Core.Runs;

/// <summary>One attempt of a tool run (sandboxed first, then escalated or retried).</summary>
/// <param name="Attempt">1-based attempt number.</param>
/// <param name="Sandbox">The sandbox the attempt ran in (<c>sandboxed</c>, <c>unsandboxed</c>, <c>escalated</c>).</param>
/// <param name="ExitCode">The attempt's exit code, if it ran.</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="RetryReason">Why another attempt followed (<c>sandbox-denied</c>, <c>transient-exit-code</c>, ...), null for the last one.</param>
public sealed record ToolRunAttempt(int Attempt, string Sandbox, int? ExitCode, long DurationMs, string? RetryReason);
