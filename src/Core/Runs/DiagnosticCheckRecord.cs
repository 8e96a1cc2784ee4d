namespace Orchestrator.Core.Runs;

/// <summary>One check of a diagnostics run: what was looked at, the outcome, and the facts found.</summary>
/// <param name="Id">Stable id: <c>runtime</c>, <c>sdk</c>, <c>git</c>, <c>bubblewrap</c>, <c>sandbox-smoke</c>, <c>pty</c>, <c>config</c>, <c>instructions</c>, <c>runs-root</c>, <c>guardrails</c>.</param>
/// <param name="Facts">Name/value pairs found (versions, paths, commit); never secret values.</param>
public sealed record DiagnosticCheckRecord(string Id, string Title, DiagnosticCheckStatus Status, string Detail, IReadOnlyDictionary<string, string> Facts);
