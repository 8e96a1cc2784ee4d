namespace Orchestrator.Core.Tests.Telemetry;

/// <summary>One HTTP request an <see cref="OtlpReceiver"/> read in full.</summary>
internal sealed record OtlpRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public bool IsTraces => Path.EndsWith("/v1/traces", StringComparison.Ordinal);

    public bool IsMetrics => Path.EndsWith("/v1/metrics", StringComparison.Ordinal);

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out string? value) ? value : null;
}
