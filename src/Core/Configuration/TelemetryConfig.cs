namespace Orchestrator.Core.Configuration;

/// <summary>The <c>telemetry:</c> section of one file. A null member was not set there.</summary>
public sealed record TelemetryConfig
{
    public static TelemetryConfig Empty { get; } = new();

    /// <summary>
    /// The OTLP base URL (as written, credentials included: never display it). Only a string is
    /// checked here; an unusable URL turns telemetry off with a warning when a run resolves it
    /// (<see cref="Telemetry.TelemetrySettings.Resolve"/>), the same as from any other source.
    /// </summary>
    public ConfigValue<string>? Endpoint { get; init; }
}
