namespace Orchestrator.Core.Telemetry;

/// <summary>
/// What makes two runs' pipelines interchangeable: where and how they export, with which headers
/// and resource, at which pace and with which retry timing. It holds credentials and header values:
/// it is only ever compared, never shown (<see cref="ToString"/> prints nothing of it).
/// </summary>
internal sealed record OtlpPipelineKey(
    string Endpoint,
    TelemetryProtocol Protocol,
    string Headers,
    string? ServiceName,
    string? ResourceAttributes,
    string? Temporality,
    TimeSpan ExportAttemptTimeout,
    TimeSpan InitialBackoff,
    TimeSpan MaxBackoff,
    TimeSpan SpanExportInterval,
    TimeSpan MetricExportInterval)
{
    public static OtlpPipelineKey For(TelemetrySettings settings, Func<string, string?> environment) => new(
        settings.Endpoint!.OriginalString,
        settings.Protocol,
        string.Join('\n', settings.Headers.Pairs.Select(p => p.Key + "=" + p.Value)),
        environment("OTEL_SERVICE_NAME"),
        environment("OTEL_RESOURCE_ATTRIBUTES"),
        environment(OtlpPipeline.TemporalityVariable),
        settings.ExportAttemptTimeout,
        settings.InitialBackoff,
        settings.MaxBackoff,
        settings.SpanExportInterval,
        settings.MetricExportInterval);

    public override string ToString() => nameof(OtlpPipelineKey);
}
