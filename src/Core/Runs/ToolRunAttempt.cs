namespace Orchestrator.Core.Runs;

/// <summary>One attempt of a tool run: one exec (a command of the manifest) with the sandbox it ran in.</summary>
/// <param name="Attempt">1-based attempt number.</param>
/// <param name="ExecId">The exec of this attempt (its command entry and raw logs share it).</param>
/// <param name="Sandbox"><c>sandboxed</c>, <c>escalated</c>, <c>unsandboxed</c>, <c>unavailable</c> or <c>failed</c>: how this attempt ran.</param>
/// <param name="Status">The attempt's command status.</param>
/// <param name="ExitCode">The attempt's exit code, if it ran.</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="RetryReason">
/// Why the attempt did not stand and another followed or was considered (<c>sandbox-denied</c>,
/// <c>sandbox-failed</c>, <c>transient-exit-code</c>, <c>transient-output</c>); also set on a last
/// attempt when the escalation it called for was refused. Null when nothing followed from it.
/// </param>
/// <param name="Evidence">What showed the reason (an output line, an exit code).</param>
public sealed record ToolRunAttempt(int Attempt, string ExecId, string Sandbox, string Status, int? ExitCode, long DurationMs, string? RetryReason, string? Evidence);
