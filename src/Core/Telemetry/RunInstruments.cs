using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Orchestrator.Core.Telemetry;

/// <summary>
/// One run's metric instruments, on a Meter of its own: the run's MeterProvider keeps only these
/// (other runs in the same process have instruments of the same names on their own Meters).
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

    public void Command(string task, string status, string? sandboxState, long durationMs)
    {
        var tags = new TagList { { TelemetryNames.PipelineName, task }, { TelemetryNames.Status, status } };
        _commandDuration.Record(durationMs / 1000.0, tags);
        tags.Add(TelemetryNames.SandboxState, sandboxState ?? "unknown");
        _commands.Add(1, tags);
    }

    public void Retry(string task, string reason) =>
        _retries.Add(1, new TagList { { TelemetryNames.PipelineName, task }, { TelemetryNames.RetryReason, reason } });

    public void Escalation(string task, string decision, string source) =>
        _escalations.Add(1, new TagList { { TelemetryNames.PipelineName, task }, { TelemetryNames.ApprovalDecision, decision }, { TelemetryNames.ApprovalSource, source } });

    public void Run(string task, string result, long durationMs) =>
        _runDuration.Record(durationMs / 1000.0, new TagList { { TelemetryNames.PipelineName, task }, { TelemetryNames.PipelineResult, result } });
}
