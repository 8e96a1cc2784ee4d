using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Orchestrator.Core.Telemetry;

/// <summary>
/// The OpenTelemetry SDK pipeline of one endpoint (<see cref="OtlpPipelineKey"/>: endpoint,
/// protocol, headers, resource, timing), shared by every run of the process that exports there: a
/// TracerProvider and a MeterProvider, each with the OTLP exporter over an
/// <see cref="OtlpExportHandler"/>, and one export thread. Building and shutting down a pipeline
/// costs tens of milliseconds and much JIT work; a long-lived host (an MSBuild node, an SDK host)
/// or a benchmark runs many runs, so the pipeline is built once and kept while runs use it (shut
/// down after <see cref="IdleTimeout"/> without runs, or when the process exits).
/// <para>
/// Per run all the same: a run's spans wait in its own <see cref="RunExport"/> and go out in
/// requests of their own, so the endpoint's answer is that run's; metrics are aggregated across
/// the runs, and a metrics request is charged to the runs whose series it carries. At the end of
/// a run <see cref="FlushAsync"/> sends what the run left (its spans, then the metrics) and returns
/// within the run's flush budget, whatever the endpoint does.
/// </para>
/// <para>
/// The TracerProvider subscribes to no ActivitySource: RunTelemetry hands it exactly its run's
/// spans (<see cref="Export"/>). A provider subscribed by name would also receive the spans of a
/// host application's own "Orchestrator" source.
/// </para>
/// </summary>
internal sealed class OtlpPipeline
{
    public const string TemporalityVariable = "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE";

    /// <summary>How long a pipeline no run uses stays up (its connection and compiled code are what a next run saves).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(1);

    /// <summary>The most spans in one request; a run with more waiting is sent in several.</summary>
    private const int MaxBatch = 512;

    private static readonly string Version = typeof(OtlpPipeline).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    private static readonly Lock Registry = new();
    private static readonly Dictionary<OtlpPipelineKey, OtlpPipeline> Pipelines = [];
    private static bool _exitHooked;

    private readonly OtlpPipelineKey _key;
    private readonly TelemetrySettings _settings;
    private readonly SpanBatchExporter _spans;
    private readonly TracerProvider _tracerProvider;
    private readonly MeterProvider _meterProvider;
    private readonly BaseExportingMetricReader _metrics;
    private readonly Meter _meter;
    private readonly List<HttpClient> _clients = [];
    private readonly HashSet<RunExport> _live = [];
    private readonly ConcurrentQueue<(RunExport Run, TaskCompletionSource<bool> Done)> _flushes = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _thread;
    private int _users;
    private long _idleSince = Stopwatch.GetTimestamp();
    private volatile bool _spansDue;
    private volatile bool _stopping;

    private OtlpPipeline(OtlpPipelineKey key, TelemetrySettings settings, Func<string, string?> environment)
    {
        _key = key;
        _settings = settings;
        ResourceBuilder resource = Resource(environment);

        _spans = new SpanBatchExporter(new OtlpTraceExporter(ExporterOptions(OtlpSignal.Traces)));
        _tracerProvider = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddProcessor(_spans).Build()
            ?? throw new InvalidOperationException("The OpenTelemetry SDK built no TracerProvider.");

        _meter = new Meter(TelemetryNames.Scope, Version);
        Instruments = new RunInstruments(_meter);
        // Collected only by the export thread (periodically, and at the end of each run), so that
        // a run's final collection is never merged into one already under way without its last points.
        _metrics = new BaseExportingMetricReader(new OtlpMetricExporter(ExporterOptions(OtlpSignal.Metrics)))
        {
            // Runs are short-lived producers: deltas add up across runs and processes, where
            // cumulative series from several processes with the same attributes would collide.
            TemporalityPreference = string.Equals(environment(TemporalityVariable)?.Trim(), "cumulative", StringComparison.OrdinalIgnoreCase)
                ? MetricReaderTemporalityPreference.Cumulative
                : MetricReaderTemporalityPreference.Delta,
        };
        Meter meter = _meter;
        _meterProvider = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(TelemetryNames.Scope)
            // Subscribing is by name; keep this pipeline's instruments only.
            .AddView(instrument => ReferenceEquals(instrument.Meter, meter) ? null : MetricStreamConfiguration.Drop)
            .AddReader(_metrics)
            .Build()
            ?? throw new InvalidOperationException("The OpenTelemetry SDK built no MeterProvider.");

        // A thread of its own: the OTLP exporter sends synchronously, and blocking pool threads
        // (a 2-core machine starts with two) would starve the very sends being waited for.
        _thread = new Thread(Work) { IsBackground = true, Name = "Orchestrator OTLP export" };
        _thread.Start();
    }

    public RunInstruments Instruments { get; }

    /// <summary>
    /// The pipeline for these settings, built on first use, and a place in it for one run. The
    /// caller gives the run back with <see cref="FlushAsync"/>.
    /// </summary>
    public static (OtlpPipeline Pipeline, RunExport Run) Join(TelemetrySettings settings, Func<string, string?> environment)
    {
        var key = OtlpPipelineKey.For(settings, environment);
        var run = new RunExport(settings);
        lock (Registry)
        {
            if (!Pipelines.TryGetValue(key, out OtlpPipeline? pipeline))
            {
                pipeline = new OtlpPipeline(key, settings, environment);
                Pipelines[key] = pipeline;
                if (!_exitHooked)
                {
                    // Every run flushed its own data; this only lets the providers go cleanly.
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
                    _exitHooked = true;
                }
            }

            pipeline._users++;
            lock (pipeline._live)
            {
                pipeline._live.Add(run);
            }

            return (pipeline, run);
        }
    }

    /// <summary>Queues a finished span of the run (the export happens on the pipeline's thread).</summary>
    public void Export(RunExport run, Activity span)
    {
        if (!run.Health.Disabled && run.Add(span) >= MaxBatch)
        {
            _spansDue = true;
            _wake.Set();
        }
    }

    /// <summary>
    /// Sends what the run left (its spans, then the metrics) and lets go of the pipeline, returning
    /// within the run's <see cref="TelemetrySettings.FlushTimeout"/> whatever the endpoint does;
    /// whatever was not sent by then is lost (and counted as a failure).
    /// </summary>
    public async Task FlushAsync(RunExport run, CancellationToken cancellationToken)
    {
        TimeSpan budget = run.FlushTimeout;
        run.Health.SetDeadline(Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency));
        // Requests still in flight when the budget is nearly spent are abandoned, which frees the
        // export thread for other runs; the wait below is the hard bound regardless.
        run.ExpireAfter(TimeSpan.FromMilliseconds(Math.Max(0, budget.TotalMilliseconds - 200)));
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _flushes.Enqueue((run, done));
        _wake.Set();
        bool outOfTime;
        try
        {
            outOfTime = !await done.Task.WaitAsync(budget, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            outOfTime = true;
        }
        catch (OperationCanceledException)
        {
            run.Health.RecordFailure("the final export was cancelled");
            outOfTime = false;
        }

        if (outOfTime && !run.Health.Disabled)
        {
            run.Health.RecordFlushOutOfTime($"the final export did not finish within {Milliseconds(budget)} ms; what was not sent is lost");
        }

        if (done.Task.IsCompleted)
        {
            run.KeepAlive();
        }
        else
        {
            // Whatever of this run is still queued or in flight is dropped.
            run.Expire();
        }

        Leave(run);
    }

    private static void StopAll()
    {
        List<OtlpPipeline> all;
        lock (Registry)
        {
            all = [.. Pipelines.Values];
            Pipelines.Clear();
        }

        all.ForEach(p => p.Stop());
    }

    private void Leave(RunExport run)
    {
        lock (_live)
        {
            _live.Remove(run);
        }

        lock (Registry)
        {
            _users--;
            if (_users == 0)
            {
                Interlocked.Exchange(ref _idleSince, Stopwatch.GetTimestamp());
            }
        }
    }

    private void Work()
    {
        long interval = Ticks(_settings.SpanExportInterval);
        long metricInterval = Ticks(_settings.MetricExportInterval);
        long nextSpans = Stopwatch.GetTimestamp() + interval;
        long nextMetrics = Stopwatch.GetTimestamp() + metricInterval;
        while (!_stopping)
        {
            long now = Stopwatch.GetTimestamp();
            long next = Math.Min(Math.Min(nextSpans, nextMetrics), now + Ticks(IdleTimeout));
            _wake.WaitOne(TimeSpan.FromSeconds(Math.Max(0, (next - now) / (double)Stopwatch.Frequency)));
            if (_stopping)
            {
                return;
            }

            try
            {
                while (_flushes.TryDequeue(out var flush))
                {
                    Flush(flush.Run, flush.Done);
                }

                now = Stopwatch.GetTimestamp();
                if (_spansDue || now >= nextSpans)
                {
                    _spansDue = false;
                    foreach (RunExport run in Live())
                    {
                        SendSpans(run);
                    }

                    nextSpans = Stopwatch.GetTimestamp() + interval;
                }

                if (now >= nextMetrics)
                {
                    CollectMetrics();
                    nextMetrics = Stopwatch.GetTimestamp() + metricInterval;
                }
            }
            catch (Exception e)
            {
                // The SDK does not throw from exports; should anything else, the live runs learn why and stop.
                foreach (RunExport run in Live())
                {
                    run.Health.Disable($"telemetry stopped after an internal error: {e.GetType().Name}: {e.Message}");
                }
            }

            StopIfIdle();
        }
    }

    private void Flush(RunExport run, TaskCompletionSource<bool> done)
    {
        try
        {
            if (!run.IsExpired && !run.Health.Disabled)
            {
                SendSpans(run);
                if (!run.IsExpired)
                {
                    CollectMetrics();
                }
            }
        }
        catch (Exception e)
        {
            run.Health.Disable($"telemetry stopped after an internal error: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            done.TrySetResult(!run.IsExpired);
        }
    }

    private void SendSpans(RunExport run)
    {
        List<Activity> spans = run.TakePending();
        if (spans.Count == 0 || run.IsExpired || run.Health.Disabled)
        {
            return;
        }

        using var context = new ExportContext(OtlpSignal.Traces, [run]);
        Activity[] all = [.. spans];
        for (int start = 0; start < all.Length && !run.IsExpired && !run.Health.Disabled; start += MaxBatch)
        {
            Activity[] batch = start == 0 && all.Length <= MaxBatch ? all : all[start..Math.Min(all.Length, start + MaxBatch)];
            context.Apply(() => _spans.Export(batch, batch.Length));
        }
    }

    private void CollectMetrics()
    {
        // The runs that recorded into some series and are still sending: the request is theirs.
        List<RunExport> runs = [.. Live().Where(r => r.HasSeries && !r.Health.Disabled && !r.IsExpired)];
        if (runs.Count == 0)
        {
            return;
        }

        using var context = new ExportContext(OtlpSignal.Metrics, runs);
        context.Apply(() => _metrics.Collect(Timeout.Infinite));
    }

    private List<RunExport> Live()
    {
        lock (_live)
        {
            return [.. _live];
        }
    }

    private void StopIfIdle()
    {
        lock (Registry)
        {
            if (_users > 0 || Stopwatch.GetTimestamp() - Interlocked.Read(ref _idleSince) < Ticks(IdleTimeout))
            {
                return;
            }

            if (Pipelines.TryGetValue(_key, out OtlpPipeline? current) && ReferenceEquals(current, this))
            {
                Pipelines.Remove(_key);
            }
        }

        Stop();
    }

    private void Stop()
    {
        _stopping = true;
        _wake.Set();
        // Nothing is sent from here on: outside an ExportContext the handler answers without a request.
        try
        {
            _tracerProvider.Dispose();
            _meterProvider.Dispose();
            _meter.Dispose();
            lock (_clients)
            {
                _clients.ForEach(c => c.Dispose());
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
        {
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
                var client = new HttpClient(new OtlpExportHandler(_settings)) { Timeout = Timeout.InfiniteTimeSpan };
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

    private static long Ticks(TimeSpan value) => (long)(value.TotalSeconds * Stopwatch.Frequency);

    private static int Milliseconds(TimeSpan value) => (int)Math.Clamp(value.TotalMilliseconds, 0, int.MaxValue);
}
