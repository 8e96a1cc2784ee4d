namespace Orchestrator.Core.Telemetry;

/// <summary>The manifest's <c>telemetry.failures</c>: how many export attempts failed, and why the last one did.</summary>
/// <param name="Count">Failed export attempts (each retry counts), plus one when the final flush ran out of time.</param>
/// <param name="LastReason">e.g. <c>Connection refused (127.0.0.1:4318)</c>, <c>HTTP 503 (Service Unavailable)</c>; null when none failed. Never holds credentials or header values.</param>
public sealed record TelemetryFailures(int Count, string? LastReason)
{
    public static TelemetryFailures None { get; } = new(0, null);
}
