using System.Text;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Telemetry;

/// <summary>
/// Where (and whether) a run sends OpenTelemetry traces and metrics, and the bounds it keeps to.
/// Telemetry is strictly opt-in: without an endpoint <see cref="Enabled"/> is false and a door
/// creates nothing (no listener, no provider, no sink).
/// </summary>
public sealed record TelemetrySettings
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string HeadersVariable = "OTEL_EXPORTER_OTLP_HEADERS";
    public const string ProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    /// <summary>The configuration key the doors read the configured endpoint from.</summary>
    public const string ConfigKey = "telemetry.endpoint";

    /// <summary>A door value that turns telemetry off even when the environment names an endpoint.</summary>
    public const string OffValue = "off";

    /// <summary>Telemetry off: no source named an endpoint.</summary>
    public static TelemetrySettings Disabled { get; } = new();

    /// <summary>The OTLP base URL, as given (credentials included: use <see cref="DisplayEndpoint"/> to show it); null when off.</summary>
    public Uri? Endpoint { get; init; }

    public bool Enabled => Endpoint is not null;

    public TelemetryProtocol Protocol { get; init; } = TelemetryProtocol.HttpProtobuf;

    /// <summary>Sent with every export; only ever taken from <c>OTEL_EXPORTER_OTLP_HEADERS</c> alongside that variable's endpoint.</summary>
    public OtlpHeaders Headers { get; init; } = OtlpHeaders.Empty;

    public TelemetrySource Source { get; init; } = TelemetrySource.None;

    /// <summary>The endpoint as it may be shown and recorded: no credentials, secret query values masked.</summary>
    public string? DisplayEndpoint => Endpoint is null ? null : OtlpEndpoint.Display(Endpoint);

    /// <summary>What the resolution noticed and worked around (the door records them in the manifest's <c>warnings</c>).</summary>
    public IReadOnlyList<RunWarning> Warnings { get; init; } = [];

    /// <summary>The most <see cref="RunTelemetry.CompleteAsync"/> waits for the last spans and metrics to go out.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one export request may go unanswered before it counts as failed.</summary>
    public TimeSpan ExportAttemptTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait before the first retry of a failed export; it doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>After this many failed export attempts in a row, telemetry is off for the rest of the run.</summary>
    public int MaxConsecutiveFailures { get; init; } = 3;

    /// <summary>How often finished spans are sent while the run goes on (the rest go at the end).</summary>
    public TimeSpan SpanExportInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often metrics are sent while the run goes on (a final export happens at the end).</summary>
    public TimeSpan MetricExportInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Applies door &gt; <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> &gt; configuration. The first source with a
    /// non-blank value wins whole; a value that is not an absolute http(s) URL turns telemetry off
    /// with a warning rather than falling through to a source the caller did not pick. The door
    /// value <c>off</c> turns telemetry off whatever the environment says.
    /// <c>OTEL_EXPORTER_OTLP_HEADERS</c> only accompanies the environment's own endpoint, so a
    /// CI's credentials never go to an endpoint someone else named; <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>
    /// applies to whichever endpoint wins.
    /// </summary>
    /// <param name="doorEndpoint">What the door was given (<c>--otel-endpoint</c>, <c>OrchestratorOtelEndpoint</c>, a Cake setting); null or blank when nothing.</param>
    /// <param name="doorName">The door: <c>cli</c>, <c>msbuild</c>, <c>cake</c> or <c>sdk</c>.</param>
    /// <param name="environment">Reads a variable (<c>Environment.GetEnvironmentVariable</c> in production).</param>
    /// <param name="configEndpoint">The configuration's effective <c>telemetry.endpoint</c>; null when unset.</param>
    /// <exception cref="ArgumentException"><paramref name="doorName"/> is not a door.</exception>
    public static TelemetrySettings Resolve(string? doorEndpoint, string doorName, Func<string, string?> environment, string? configEndpoint)
    {
        ArgumentNullException.ThrowIfNull(environment);
        TelemetrySource door = ParseDoor(doorName);
        var warnings = new List<RunWarning>();
        TelemetryProtocol protocol = ResolveProtocol(environment(ProtocolVariable), warnings);

        if (!string.IsNullOrWhiteSpace(doorEndpoint))
        {
            return string.Equals(doorEndpoint.Trim(), OffValue, StringComparison.OrdinalIgnoreCase)
                ? Disabled with { Source = door }
                : Build(doorEndpoint, door, DoorOrigin(door), OtlpHeaders.Empty, protocol, warnings);
        }

        // An empty (or blank) variable counts as unset, as every ORCHESTRATOR_* variable does.
        if (environment(EndpointVariable) is { } variable && !string.IsNullOrWhiteSpace(variable))
        {
            if (!OtlpHeaders.TryParse(environment(HeadersVariable), out OtlpHeaders headers, out string? problem))
            {
                warnings.Add(new RunWarning(
                    "TelemetryHeadersInvalid",
                    $"Telemetry is off: environment variable {HeadersVariable} cannot be read ({problem}); nothing is sent without the headers it was meant to carry."));
                return Disabled with { Source = TelemetrySource.Environment, Warnings = warnings };
            }

            return Build(variable, TelemetrySource.Environment, $"environment variable {EndpointVariable}", headers, protocol, warnings);
        }

        return !string.IsNullOrWhiteSpace(configEndpoint)
            ? Build(configEndpoint, TelemetrySource.Config, $"configuration '{ConfigKey}'", OtlpHeaders.Empty, protocol, warnings)
            : Disabled with { Warnings = warnings };
    }

    private static TelemetrySettings Build(string value, TelemetrySource source, string origin, OtlpHeaders headers, TelemetryProtocol protocol, List<RunWarning> warnings)
    {
        if (!OtlpEndpoint.TryParse(value, out Uri? endpoint, out string? problem))
        {
            warnings.Add(new RunWarning(
                "TelemetryEndpointInvalid",
                $"Telemetry is off: the OTLP endpoint '{OtlpEndpoint.DisplayRaw(value)}' from {origin} is not usable: {problem}."));
            return Disabled with { Source = source, Warnings = warnings };
        }

        return new TelemetrySettings { Endpoint = endpoint, Protocol = protocol, Headers = headers, Source = source, Warnings = warnings };
    }

    private static TelemetryProtocol ResolveProtocol(string? value, List<RunWarning> warnings)
    {
        string text = value?.Trim() ?? string.Empty;
        if (text.Length == 0 || text.Equals("http/protobuf", StringComparison.OrdinalIgnoreCase))
        {
            return TelemetryProtocol.HttpProtobuf;
        }

        if (text.Equals("grpc", StringComparison.OrdinalIgnoreCase))
        {
            return TelemetryProtocol.Grpc;
        }

        // http/json and anything else: collectors that take OTLP over HTTP take protobuf on the same port.
        warnings.Add(new RunWarning(
            "TelemetryProtocolUnsupported",
            $"{ProtocolVariable}='{text}' is not supported (use http/protobuf or grpc); http/protobuf is used."));
        return TelemetryProtocol.HttpProtobuf;
    }

    private static TelemetrySource ParseDoor(string doorName)
    {
        ArgumentNullException.ThrowIfNull(doorName);
        foreach (var door in (ReadOnlySpan<TelemetrySource>)[TelemetrySource.Cli, TelemetrySource.MSBuild, TelemetrySource.Cake, TelemetrySource.Sdk])
        {
            if (string.Equals(WireNames.Of(door), doorName, StringComparison.OrdinalIgnoreCase))
            {
                return door;
            }
        }

        throw new ArgumentException($"'{doorName}' is not a door (expected cli, msbuild, cake or sdk).", nameof(doorName));
    }

    private static string DoorOrigin(TelemetrySource door) => door switch
    {
        TelemetrySource.Cli => "--otel-endpoint",
        TelemetrySource.MSBuild => "property OrchestratorOtelEndpoint",
        TelemetrySource.Cake => "the Cake OtelEndpoint setting",
        _ => "the SDK telemetry endpoint",
    };

    // A record prints every property by default; this one must never print credentials or header values.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Enabled = ").Append(Enabled)
            .Append(", Endpoint = ").Append(DisplayEndpoint)
            .Append(", Protocol = ").Append(WireNames.Of(Protocol))
            .Append(", Headers = ").Append(Headers)
            .Append(", Source = ").Append(WireNames.Of(Source))
            .Append(", Warnings = ").Append(Warnings.Count);
        return true;
    }
}
