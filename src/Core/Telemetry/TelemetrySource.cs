using System.Text.Json.Serialization;

namespace Orchestrator.Core.Telemetry;

/// <summary>
/// Where a run's OTLP endpoint came from. The first source with a value wins: the door, then
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, then the configuration's <c>telemetry.endpoint</c>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<TelemetrySource>))]
public enum TelemetrySource
{
    /// <summary>No source named an endpoint: telemetry is off.</summary>
    [JsonStringEnumMemberName("none")] None,

    /// <summary>The CLI's <c>--otel-endpoint</c> option.</summary>
    [JsonStringEnumMemberName("cli")] Cli,

    /// <summary>The MSBuild property <c>OrchestratorOtelEndpoint</c>.</summary>
    [JsonStringEnumMemberName("msbuild")] MSBuild,

    /// <summary>The Cake alias settings.</summary>
    [JsonStringEnumMemberName("cake")] Cake,

    /// <summary>An SDK caller (<c>OrchestratorClient</c>).</summary>
    [JsonStringEnumMemberName("sdk")] Sdk,

    /// <summary>The <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable (with <c>OTEL_EXPORTER_OTLP_HEADERS</c>).</summary>
    [JsonStringEnumMemberName("environment")] Environment,

    /// <summary><c>telemetry.endpoint</c> in the repo file, else the user file.</summary>
    [JsonStringEnumMemberName("config")] Config,
}
