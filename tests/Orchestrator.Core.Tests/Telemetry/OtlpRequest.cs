namespace Orchestrator.Core.Tests.Telemetry;

/// <summary>One HTTP request an <see cref="OtlpReceiver"/> read in full.</summary>
internal sealed record OtlpRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public bool IsTraces => PathOnly.EndsWith("/v1/traces", StringComparison.Ordinal);

    public bool IsMetrics => PathOnly.EndsWith("/v1/metrics", StringComparison.Ordinal);

    /// <summary>The request path without its query (an endpoint may carry one, e.g. an API key).</summary>
    public string PathOnly => Path.Split('?', 2)[0];

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out string? value) ? value : null;
}
