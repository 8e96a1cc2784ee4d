namespace Orchestrator.Core.Telemetry;

/// <summary>Which OTLP export a request carries.</summary>
internal enum OtlpSignal
{
    Traces,
    Metrics,
}
