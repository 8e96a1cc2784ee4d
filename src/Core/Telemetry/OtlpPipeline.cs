using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Orchestrator.Core.Telemetry;

/// <summary>
/// One run's OpenTelemetry SDK pipeline: a TracerProvider and a MeterProvider of its own, each with
/// the OTLP exporter over an <see cref="OtlpExportHandler"/>. Per run rather than shared per
/// endpoint, so that a run's flush waits for nothing but its own data, its record counts only its
/// own exports, and one run's dead endpoint cannot slow another's.
/// <para>
/// The TracerProvider subscribes to no ActivitySource: RunTelemetry hands it exactly the spans of
/// its run (<see cref="Export"/>). A provider subscribed by name would also receive the spans of any
/// other run going on in the process (an SDK host running several at once).
/// </para>
/// </summary>
internal sealed class OtlpPipeline
{
    private static readonly string Version = typeof(OtlpPipeline).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private readonly TelemetrySettings _settings;
    private readonly BatchActivityExportProcessor _spans;
    private readonly TracerProvider _tracerProvider;
    private readonly MeterProvider _meterProvider;
    private readonly Meter _meter;
    private readonly List<HttpClient> _clients = [];

    private OtlpPipeline(TelemetrySettings settings, Func<string, string?> environment)
    {
        _settings = settings;
        Health = new ExportHealth(settings.MaxConsecutiveFailures);
        ResourceBuilder resource = Resource(environment);

        _spans = new BatchActivityExportProcessor(
            new OtlpTraceExporter(ExporterOptions(OtlpSignal.Traces)),
            maxQueueSize: 8192,
            scheduledDelayMilliseconds: Milliseconds(settings.SpanExportInterval),
            exporterTimeoutMilliseconds: 30_000,
            maxExportBatchSize: 512);
        _tracerProvider = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddProcessor(_spans).Build()
            ?? throw new InvalidOperationException("The OpenTelemetry SDK built no TracerProvider.");

        _meter = new Meter(TelemetryNames.Scope, Version);
        Instruments = new RunInstruments(_meter);
        var reader = new PeriodicExportingMetricReader(
            new OtlpMetricExporter(ExporterOptions(OtlpSignal.Metrics)),
            exportIntervalMilliseconds: Milliseconds(settings.MetricExportInterval),
            exportTimeoutMilliseconds: 30_000)
        {
            // Each run is a short-lived producer: deltas add up across runs, where cumulative series
            // from concurrent runs with the same attributes would collide.
            TemporalityPreference = string.Equals(environment("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE")?.Trim(), "cumulative", StringComparison.OrdinalIgnoreCase)
                ? MetricReaderTemporalityPreference.Cumulative
                : MetricReaderTemporalityPreference.Delta,
        };
        Meter meter = _meter;
        _meterProvider = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(TelemetryNames.Scope)
            // Subscribing is by name; keep this run's instruments only.
            .AddView(instrument => ReferenceEquals(instrument.Meter, meter) ? null : MetricStreamConfiguration.Drop)
            .AddReader(reader)
            .Build()
            ?? throw new InvalidOperationException("The OpenTelemetry SDK built no MeterProvider.");
    }

    public ExportHealth Health { get; }

    public RunInstruments Instruments { get; }

    public static OtlpPipeline Start(TelemetrySettings settings, Func<string, string?> environment) => new(settings, environment);

    /// <summary>Queues a finished span (the export happens on the SDK's thread).</summary>
    public void Export(Activity span)
    {
        if (!Health.Disabled)
        {
            _spans.OnEnd(span);
        }
    }

    /// <summary>
    /// Sends what is left and shuts the pipeline down, returning within <see cref="TelemetrySettings.FlushTimeout"/>
    /// whatever the endpoint does; whatever was not sent by then is lost (and counted as a failure).
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        TimeSpan budget = _settings.FlushTimeout;
        Health.SetDeadline(started + (long)(budget.TotalSeconds * Stopwatch.Frequency));
        // The SDK's shutdown honours its timeout only roughly (a join, then the exporter's own
        // shutdown): leave it a margin inside the budget, which is enforced below regardless.
        int sdkTimeout = Math.Max(0, Milliseconds(budget) - 200);
        // Shutdown blocks until the export threads are done, and their HTTP sends complete on the
        // thread pool: blocking two pool threads here (a 2-core machine starts with two) starves
        // the very sends being waited for until the pool grows. Dedicated threads wait instead.
        Task<bool> traces = Task.Factory.StartNew(() => _tracerProvider.Shutdown(sdkTimeout), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Task<bool> metrics = Task.Factory.StartNew(() => _meterProvider.Shutdown(sdkTimeout), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Task both = Task.WhenAll(traces, metrics);
        bool outOfTime;
        try
        {
            await both.WaitAsync(budget, cancellationToken).ConfigureAwait(false);
            // Shutdown says false when its own timeout cut it short; a slow but complete flush (a
            // cold process compiling the exporter) is not a failure.
            outOfTime = !traces.Result || !metrics.Result;
        }
        catch (TimeoutException)
        {
            outOfTime = true;
        }
        catch (OperationCanceledException)
        {
            Health.RecordFailure("the final export was cancelled");
            outOfTime = false;
        }

        if (outOfTime && !Health.Disabled)
        {
            Health.RecordFailure($"the final export did not finish within {Milliseconds(budget)} ms; what was not sent is lost");
        }

        // Disposing while an export thread still runs would pull its resources away; after the
        // shutdown calls have returned (they cancel pending requests) it is safe.
        _ = both.ContinueWith(_ => Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private void Dispose()
    {
        _tracerProvider.Dispose();
        _meterProvider.Dispose();
        _meter.Dispose();
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }
    }

    private OtlpExporterOptions ExporterOptions(OtlpSignal signal)
    {
        // Every attempt the handler may make, with its waits, fits in the exporter's own deadline.
        TimeSpan worstCase = (_settings.ExportAttemptTimeout + _settings.MaxBackoff) * _settings.MaxConsecutiveFailures;
        return new OtlpExporterOptions
        {
            Endpoint = OtlpEndpoint.ForSignal(_settings.Endpoint!, _settings.Protocol, signal),
            Protocol = _settings.Protocol == TelemetryProtocol.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf,
            // The options read OTEL_EXPORTER_OTLP_HEADERS themselves; headers go only where the settings say (the handler adds them).
            Headers = null,
            TimeoutMilliseconds = Milliseconds(worstCase),
            HttpClientFactory = () =>
            {
                var client = new HttpClient(new OtlpExportHandler(Health, signal, _settings)) { Timeout = Timeout.InfiniteTimeSpan };
                lock (_clients)
                {
                    _clients.Add(client);
                }

                return client;
            },
        };
    }

    private static ResourceBuilder Resource(Func<string, string?> environment)
    {
        var attributes = new List<KeyValuePair<string, object>>();
        foreach (string item in (environment("OTEL_RESOURCE_ATTRIBUTES") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = item.IndexOf('=');
            if (equals > 0)
            {
                attributes.Add(new(item[..equals].Trim(), Uri.UnescapeDataString(item[(equals + 1)..].Trim())));
            }
        }

        string? named = environment("OTEL_SERVICE_NAME");
        string service = !string.IsNullOrWhiteSpace(named) ? named.Trim()
            : attributes.FirstOrDefault(a => a.Key == "service.name").Value as string ?? "orchestrator";
        attributes.RemoveAll(a => a.Key == "service.name");
        attributes.Add(new("host.name", Environment.MachineName));
        return ResourceBuilder.CreateEmpty()
            .AddService(service, serviceVersion: Version, autoGenerateServiceInstanceId: false)
            .AddTelemetrySdk()
            .AddAttributes(attributes);
    }

    private static int Milliseconds(TimeSpan value) => (int)Math.Clamp(value.TotalMilliseconds, 0, int.MaxValue);
}
