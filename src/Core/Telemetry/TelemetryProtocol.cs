using System.Text.Json.Serialization;

namespace Orchestrator.Core.Telemetry;

/// <summary>How spans and metrics travel to the OTLP endpoint (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TelemetryProtocol>))]
public enum TelemetryProtocol
{
    /// <summary>Protobuf over HTTP/1.1 POSTs to <c>&lt;endpoint&gt;/v1/traces</c> and <c>/v1/metrics</c>: the default.</summary>
    [JsonStringEnumMemberName("http/protobuf")] HttpProtobuf,

    /// <summary>OTLP/gRPC over HTTP/2 (cleartext for <c>http://</c>, TLS for <c>https://</c>).</summary>
    [JsonStringEnumMemberName("grpc")] Grpc,
}
