using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Telemetry;

/// <summary>
/// The manifest's <c>telemetry</c>: whether the run sent OpenTelemetry data, where to, and how that
/// went. Telemetry never changes a run's result; this record is where its trouble shows.
/// </summary>
public sealed record TelemetryRecord
{
    public required bool Enabled { get; init; }

    /// <summary><c>cli</c>, <c>msbuild</c>, <c>cake</c>, <c>sdk</c>, <c>environment</c>, <c>config</c> or <c>none</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The OTLP endpoint without credentials, secret query values masked; null when off.</summary>
    public string? Endpoint { get; init; }

    /// <summary><c>http/protobuf</c> or <c>grpc</c>; null when off.</summary>
    public string? Protocol { get; init; }

    /// <summary>The run's W3C trace id (32 hex digits), to find it in the tracing backend; null when no run span was made.</summary>
    public string? TraceId { get; init; }

    /// <summary>Spans the endpoint accepted.</summary>
    public long SpansExported { get; init; }

    /// <summary>Metric data points the endpoint accepted.</summary>
    public long MetricsExported { get; init; }

    public TelemetryFailures Failures { get; init; } = TelemetryFailures.None;

    /// <summary>True when telemetry was turned off for the rest of the run after consecutive export failures.</summary>
    public bool Disabled { get; init; }

    /// <summary>The record of a run that sent nothing: telemetry off (with the source that turned it off, if any).</summary>
    public static TelemetryRecord NotEnabled(TelemetrySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new TelemetryRecord { Enabled = false, Source = WireNames.Of(settings.Source) };
    }
}
