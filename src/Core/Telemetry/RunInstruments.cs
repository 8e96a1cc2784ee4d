using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Orchestrator.Core.Telemetry;

/// <summary>
/// The metric instruments of one <see cref="OtlpPipeline"/>, on its own Meter (its MeterProvider
/// keeps only these). Runs of the process that share the pipeline record into the same
/// instruments; each recording notes its series in the run's <see cref="RunExport"/>, so that an
/// export can say how many of its data points were that run's.
/// </summary>
internal sealed class RunInstruments
{
    // Commands take milliseconds to an hour; the SDK's default buckets stop at 10 s.
    private static readonly IReadOnlyList<double> Seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private readonly Counter<long> _commands;
    private readonly Histogram<double> _commandDuration;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _escalations;
    private readonly Histogram<double> _runDuration;

    public RunInstruments(Meter meter)
    {
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = Seconds };
        _commands = meter.CreateCounter<long>(TelemetryNames.CommandsMetric, "{command}", "Commands run (every attempt counts), by status and sandbox state.");
        _commandDuration = meter.CreateHistogram(TelemetryNames.CommandDurationMetric, "s", "How long each command (attempt) ran, from spawn to the end of its output.", tags: null, advice);
        _retries = meter.CreateCounter<long>(TelemetryNames.RetriesMetric, "{retry}", "Retries announced after a failed attempt, by reason.");
        _escalations = meter.CreateCounter<long>(TelemetryNames.EscalationsMetric, "{escalation}", "Requests to run outside the sandbox, by decision and approval source.");
        _runDuration = meter.CreateHistogram(TelemetryNames.RunDurationMetric, "s", "How long each run took, by result.", tags: null, advice);
    }

    /// <summary>A series' identity within the pipeline: the metric name and the attributes, sorted by name.</summary>
    public static string SeriesKey(string metric, IEnumerable<KeyValuePair<string, string>> attributes) =>
        KeyOf(metric, [.. attributes]);

    /// <remarks>Sorts <paramref name="attributes"/> in place. Recording a command computes two keys, so this stays free of LINQ.</remarks>
    private static string KeyOf(string metric, KeyValuePair<string, string>[] attributes)
    {
        // A handful of attributes: an insertion sort, by name, ordinal.
        for (int i = 1; i < attributes.Length; i++)
        {
            var item = attributes[i];
            int j = i - 1;
            for (; j >= 0 && string.CompareOrdinal(attributes[j].Key, item.Key) > 0; j--)
            {
                attributes[j + 1] = attributes[j];
            }

            attributes[j + 1] = item;
        }

        var key = new System.Text.StringBuilder(metric.Length + (attributes.Length * 32));
        key.Append(metric).Append('\u001f');
        for (int i = 0; i < attributes.Length; i++)
        {
            if (i > 0)
            {
                key.Append('\u001f');
            }

            key.Append(attributes[i].Key).Append('=').Append(attributes[i].Value);
        }

        return key.ToString();
    }

    public void Command(RunExport run, string task, string status, string? sandboxState, long durationMs)
    {
        var tags = new TagList { { TelemetryNames.PipelineName, task }, { TelemetryNames.Status, status } };
        Touch(run, TelemetryNames.CommandDurationMetric, tags);
        _commandDuration.Record(durationMs / 1000.0, tags);
        tags.Add(TelemetryNames.SandboxState, sandboxState ?? "unknown");
        Touch(run, TelemetryNames.CommandsMetric, tags);
        _commands.Add(1, tags);
    }

    public void Retry(RunExport run, string task, string reason)
    {
        var tags = new TagList { { TelemetryNames.PipelineName, task }, { TelemetryNames.RetryReason, reason } };
        Touch(run, TelemetryNames.RetriesMetric, tags);
        _retries.Add(1, tags);
    }

    public void Escalation(RunExport run, string task, string decision, string source)
    {
        var tags = new TagList { { TelemetryNames.PipelineName, task }, { TelemetryNames.ApprovalDecision, decision }, { TelemetryNames.ApprovalSource, source } };
        Touch(run, TelemetryNames.EscalationsMetric, tags);
        _escalations.Add(1, tags);
    }

    public void Run(RunExport run, string task, string result, long durationMs)
    {
        var tags = new TagList { { TelemetryNames.PipelineName, task }, { TelemetryNames.PipelineResult, result } };
        Touch(run, TelemetryNames.RunDurationMetric, tags);
        _runDuration.Record(durationMs / 1000.0, tags);
    }

    // Before the measurement: a collection that sees the point then also sees whose it is.
    private static void Touch(RunExport run, string metric, in TagList tags)
    {
        var pairs = new KeyValuePair<string, string>[tags.Count];
        for (int i = 0; i < pairs.Length; i++)
        {
            pairs[i] = new(tags[i].Key, tags[i].Value as string ?? string.Empty);
        }

        run.Touch(KeyOf(metric, pairs));
    }
}
