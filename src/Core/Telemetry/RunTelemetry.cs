using System.Diagnostics;
using Orchestrator.Core.Events;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Security;

namespace Orchestrator.Core.Telemetry;

/// <summary>
/// Turns one run's events into OpenTelemetry spans and metrics sent to an OTLP endpoint. A door
/// creates it (<see cref="Start"/>) only when <see cref="TelemetrySettings.Enabled"/>, adds it to
/// <c>RunOptions.Sinks</c>, asks <see cref="ChildEnvironment"/> for each command's
/// <c>TRACEPARENT</c>, and after the run calls <see cref="CompleteAsync"/> for the manifest record.
/// <list type="bullet">
/// <item>Spans: the run (<c>run:begin</c> … <c>run:summary</c>, joined to the CI's trace when
/// <c>TRACEPARENT</c> is set), under it one per tool run (<c>tool:begin</c> … <c>tool:end</c>), under
/// that one per attempt (<c>exec:begin</c> … <c>exec:end</c>).</item>
/// <item>Metrics: commands, command durations, retries, escalations, run durations.</item>
/// </list>
/// Telemetry never changes a run: <see cref="Emit"/> only records and queues (the export happens on
/// the SDK's threads), nothing here throws into the run, and <see cref="CompleteAsync"/> returns
/// within <see cref="TelemetrySettings.FlushTimeout"/> whatever the endpoint does.
/// </summary>
public sealed class RunTelemetry : IExecEventSink, IAsyncDisposable
{
    private static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    private readonly Lock _gate = new();
    private readonly TelemetrySettings _settings;
    private readonly OtlpPipeline? _pipeline;
    private readonly RunExport? _export;
    private readonly ExportHealth _health;
    private readonly ActivityListener? _listener;
    private readonly CommandLineRedactor _redactor;
    private readonly ActivityContext _parent;
    private readonly Dictionary<string, Activity> _tools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Activity> _execs = new(StringComparer.Ordinal);
    private Activity? _run;
    private string _task = "default";
    private string? _failedToolStatus;
    private Task<TelemetryRecord>? _completion;

    private RunTelemetry(TelemetrySettings settings, Func<string, string?> environment, SecretSet secrets)
    {
        _settings = settings;
        _redactor = new CommandLineRedactor(secrets);
        _parent = IncomingParent(environment);
        try
        {
            (_pipeline, _export) = OtlpPipeline.Join(settings, environment);
            _health = _export.Health;
            // Read the static source before the listener exists: AddActivityListener calls
            // ShouldListenTo for every live source, and a first access of Source from inside that
            // callback would create it mid-enumeration and compare it against a half-initialised
            // property, leaving the run without spans.
            ActivitySource source = Source;
            _listener = new ActivityListener
            {
                ShouldListenTo = candidate => ReferenceEquals(candidate, source),
                // Parent-based, as the SDK's default sampler: a CI that did not sample its trace gets
                // context propagation from us, not spans.
                Sample = static (ref ActivityCreationOptions<ActivityContext> options) =>
                    options.Parent != default && (options.Parent.TraceFlags & ActivityTraceFlags.Recorded) == 0
                        ? ActivitySamplingResult.PropagationData
                        : ActivitySamplingResult.AllDataAndRecorded,
            };
            ActivitySource.AddActivityListener(_listener);
        }
        catch (Exception e)
        {
            // The run goes on without telemetry; the record says why.
            _health = new ExportHealth(settings.MaxConsecutiveFailures);
            // The innermost exception is the cause a reader can act on (a type initializer only wraps it).
            var cause = e.GetBaseException();
            _health.Disable(cause == e
                ? $"telemetry could not start: {e.GetType().Name}: {e.Message}"
                : $"telemetry could not start: {e.GetType().Name}: {e.Message} ({cause.GetType().Name}: {cause.Message})");
            if (_pipeline is not null && _export is not null)
            {
                // Gives the run's place in the shared pipeline back (there is nothing of it to send).
                _ = _pipeline.FlushAsync(_export, CancellationToken.None);
            }

            _pipeline = null;
            _export = null;
            _listener?.Dispose();
            _listener = null;
        }
    }

    /// <summary>The source of every span: the scope <c>Orchestrator</c>. Nothing listens to it unless a run's telemetry is live (or the host app subscribes).</summary>
    internal static ActivitySource Source { get; } = new(TelemetryNames.Scope, typeof(RunTelemetry).Assembly.GetName().Version?.ToString(3));

    /// <summary>The run's W3C trace id, once <c>run:begin</c> has been seen.</summary>
    public string? TraceId
    {
        get
        {
            lock (_gate)
            {
                return _run?.TraceId.ToHexString();
            }
        }
    }

    /// <summary>
    /// Starts telemetry for one run. Never throws for a broken endpoint or SDK: such a run's record
    /// shows the failure and nothing is sent.
    /// </summary>
    /// <param name="settings">Enabled settings from <see cref="TelemetrySettings.Resolve"/>.</param>
    /// <param name="environment">Reads <c>TRACEPARENT</c>/<c>TRACESTATE</c> (the CI's trace to join), <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>.</param>
    /// <param name="secrets">Values to mask in command lines; default: the secret-looking variables of this process.</param>
    /// <exception cref="ArgumentException"><paramref name="settings"/> is not enabled: a door creates no telemetry then.</exception>
    public static RunTelemetry Start(TelemetrySettings settings, Func<string, string?> environment, SecretSet? secrets = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        if (!settings.Enabled)
        {
            throw new ArgumentException("Telemetry is not enabled by these settings; create no RunTelemetry.", nameof(settings));
        }

        return new RunTelemetry(settings, environment, secrets ?? ProcessSecrets());
    }

    public void Emit(ExecEvent executionEvent)
    {
        ArgumentNullException.ThrowIfNull(executionEvent);
        if (executionEvent.Payload is ExecChunkPayload || _pipeline is null)
        {
            return; // output is the bulk of the events and none of telemetry's business
        }

        try
        {
            lock (_gate)
            {
                if (_completion is null)
                {
                    Handle(executionEvent);
                }
            }
        }
        catch (Exception e)
        {
            _health.Disable($"telemetry stopped after an internal error: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// The variables a command about to start needs to join this run's trace: <c>TRACEPARENT</c>
    /// naming its attempt's span (started here if <c>exec:begin</c> has not come yet), and
    /// <c>TRACESTATE</c> when the CI passed one. An Orchestrator run inside the command then nests
    /// under it. Empty before <c>run:begin</c> and after completion.
    /// </summary>
    /// <param name="execId">The attempt's exec id (<c>001-make</c>).</param>
    /// <param name="toolRunId">The tool run it is an attempt of, when known (<c>tool-001</c>).</param>
    public IReadOnlyDictionary<string, string> ChildEnvironment(string execId, string? toolRunId = null)
    {
        ArgumentNullException.ThrowIfNull(execId);
        try
        {
            lock (_gate)
            {
                if (_run is null || _completion is not null || _pipeline is null)
                {
                    return NoEnvironment;
                }

                Activity? exec = Exec(execId, toolRunId, DateTimeOffset.UtcNow);
                if (exec?.Id is not { } traceParent)
                {
                    return NoEnvironment;
                }

                var variables = new Dictionary<string, string>(2, StringComparer.Ordinal) { [TelemetryNames.TraceParentVariable] = traceParent };
                if (!string.IsNullOrEmpty(exec.TraceStateString))
                {
                    variables[TelemetryNames.TraceStateVariable] = exec.TraceStateString;
                }

                return variables;
            }
        }
        catch (Exception e)
        {
            _health.Disable($"telemetry stopped after an internal error: {e.GetType().Name}: {e.Message}");
            return NoEnvironment;
        }
    }

    /// <summary>
    /// Ends what is still open, sends what is left (at most <see cref="TelemetrySettings.FlushTimeout"/>)
    /// and returns the manifest record. Never throws; later calls return the same record.
    /// </summary>
    public Task<TelemetryRecord> CompleteAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_completion is null)
            {
                try
                {
                    CloseOpen(DateTimeOffset.UtcNow);
                }
                catch (Exception e)
                {
                    _health.Disable($"telemetry stopped after an internal error: {e.GetType().Name}: {e.Message}");
                }

                _listener?.Dispose();
                _completion = FinishAsync(cancellationToken);
            }

            return _completion;
        }
    }

    public async ValueTask DisposeAsync() => await CompleteAsync().ConfigureAwait(false);

    private async Task<TelemetryRecord> FinishAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_pipeline is not null)
            {
                await _pipeline.FlushAsync(_export!, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            _health.RecordFailure($"the final export failed: {e.GetType().Name}: {e.Message}");
        }

        var (spans, points, failures, disabled) = _health.Snapshot();
        return new TelemetryRecord
        {
            Enabled = true,
            Source = WireNames.Of(_settings.Source),
            Endpoint = _settings.DisplayEndpoint,
            Protocol = WireNames.Of(_settings.Protocol),
            TraceId = _run?.TraceId.ToHexString(),
            SpansExported = spans,
            MetricsExported = points,
            Failures = failures,
            Disabled = disabled,
        };
    }

    private void Handle(ExecEvent e)
    {
        switch (e.Payload)
        {
            case RunBeginPayload begin:
                OnRunBegin(e, begin);
                break;
            case ToolBeginPayload tool:
                OnToolBegin(e, tool);
                break;
            case ApprovalDecisionPayload approval:
                OnApproval(e, approval);
                break;
            case ExecBeginPayload begin:
                OnExecBegin(e, begin);
                break;
            case ExecEndPayload end:
                OnExecEnd(e, end);
                break;
            case ExecRetryPayload retry:
                OnRetry(e, retry);
                break;
            case ToolEndPayload end:
                OnToolEnd(e, end);
                break;
            case RunSummaryPayload summary:
                OnRunSummary(e, summary);
                break;
        }
    }

    private void OnRunBegin(ExecEvent e, RunBeginPayload begin)
    {
        if (_run is not null)
        {
            return;
        }

        _task = begin.TaskId;
        _run = StartSpan($"RUN {begin.TaskId}", ActivityKind.Server, _parent, e.Timestamp);
        _run?.SetTag(TelemetryNames.PipelineName, begin.TaskId)
            .SetTag(TelemetryNames.PipelineRunId, e.RunId)
            .SetTag(TelemetryNames.PipelineAction, "RUN")
            .SetTag(TelemetryNames.Runner, begin.Runner)
            .SetTag(TelemetryNames.ApprovalPolicy, begin.ApprovalPolicy)
            .SetTag(TelemetryNames.SandboxMode, begin.SandboxMode)
            .SetTag(TelemetryNames.PipelineId, begin.PipelineId)
            .SetTag(TelemetryNames.ParentRunId, begin.ParentRunId);
    }

    private void OnToolBegin(ExecEvent e, ToolBeginPayload tool)
    {
        if (_run is null || _tools.ContainsKey(tool.ToolRunId))
        {
            return;
        }

        string program = ProgramName(tool.Command, tool.Tool);
        Activity? span = StartSpan($"{tool.Tool} {program}", ActivityKind.Internal, _run.Context, e.Timestamp);
        if (span is null)
        {
            return;
        }

        span.SetTag(TelemetryNames.TaskName, program)
            .SetTag(TelemetryNames.TaskRunId, tool.ToolRunId)
            .SetTag(TelemetryNames.PipelineName, _task)
            .SetTag(TelemetryNames.Tool, tool.Tool)
            .SetTag(TelemetryNames.Command, _redactor.Redact(tool.Command))
            .SetTag(TelemetryNames.ApprovalPolicy, tool.ApprovalPolicy)
            .SetTag(TelemetryNames.SandboxMode, tool.SandboxMode)
            .SetTag(TelemetryNames.NetworkAccess, tool.NetworkAccess);
        _tools[tool.ToolRunId] = span;
    }

    private void OnApproval(ExecEvent e, ApprovalDecisionPayload approval)
    {
        // The command and the rule's reason stay in the manifest; the span gets the decision.
        if (_tools.TryGetValue(approval.ToolRunId, out Activity? tool))
        {
            tool.AddEvent(new ActivityEvent(TelemetryNames.ApprovalEvent, e.Timestamp, new ActivityTagsCollection
            {
                [TelemetryNames.ApprovalAction] = approval.Action,
                [TelemetryNames.ApprovalDecision] = approval.Decision,
                [TelemetryNames.ApprovalSource] = approval.Source,
                [TelemetryNames.ApprovalScope] = approval.Scope,
            }));
        }

        if (approval.Action == "escalate" && !_health.Disabled)
        {
            _pipeline!.Instruments.Escalation(_export!, _task, approval.Decision, approval.Source);
        }
    }

    private void OnExecBegin(ExecEvent e, ExecBeginPayload begin)
    {
        Activity? span = Exec(begin.ExecId, begin.ToolRunId, e.Timestamp);
        span?.SetTag(TelemetryNames.ExecId, begin.ExecId)
            .SetTag(TelemetryNames.Attempt, begin.Attempt)
            .SetTag(TelemetryNames.SandboxState, begin.Sandbox)
            .SetTag(TelemetryNames.ProcessCommandLine, _redactor.Redact(begin.Command))
            .SetTag(TelemetryNames.ProcessPid, begin.Pid);
    }

    private void OnExecEnd(ExecEvent e, ExecEndPayload end)
    {
        if (_execs.Remove(end.ExecId, out Activity? span))
        {
            span.SetTag(TelemetryNames.Status, end.Status)
                .SetTag(TelemetryNames.ProcessExitCode, end.ExitCode)
                .SetTag(TelemetryNames.DurationMs, end.DurationMs)
                .SetTag(TelemetryNames.Signal, end.Signal);
            if (end.Status != "succeeded")
            {
                span.SetTag(TelemetryNames.ErrorType, end.Error?.Code ?? end.Status);
                span.SetStatus(ActivityStatusCode.Error, end.Error is null ? null : _redactor.Redact(end.Error.Message));
            }

            EndSpan(span, e.Timestamp);
        }

        // A run whose telemetry is off records nothing more: its points would still go out with
        // the metrics of other runs sharing the pipeline.
        if (!_health.Disabled)
        {
            _pipeline!.Instruments.Command(_export!, _task, end.Status, span?.GetTagItem(TelemetryNames.SandboxState) as string, end.DurationMs);
        }
    }

    private void OnRetry(ExecEvent e, ExecRetryPayload retry)
    {
        if (_tools.TryGetValue(retry.ToolRunId, out Activity? tool))
        {
            // Evidence is a line of output: it stays in the manifest and the events.
            tool.AddEvent(new ActivityEvent(TelemetryNames.RetryEvent, e.Timestamp, new ActivityTagsCollection
            {
                [TelemetryNames.RetryReason] = retry.Reason,
                [TelemetryNames.ExecId] = retry.ExecId,
                ["orchestrator.retry.next_attempt"] = retry.NextAttempt,
                ["orchestrator.retry.next_sandbox"] = retry.NextSandbox,
                ["orchestrator.retry.delay_ms"] = retry.DelayMs,
                ["orchestrator.retry.needs_approval"] = retry.NeedsApproval,
            }));
        }

        if (!_health.Disabled)
        {
            _pipeline!.Instruments.Retry(_export!, _task, retry.Reason);
        }
    }

    private void OnToolEnd(ExecEvent e, ToolEndPayload end)
    {
        if (!_tools.Remove(end.ToolRunId, out Activity? span))
        {
            return;
        }

        CloseExecsOf(span, e.Timestamp);
        span.SetTag(TelemetryNames.Status, end.Status)
            .SetTag(TelemetryNames.TaskRunResult, TaskResult(end.Status))
            .SetTag(TelemetryNames.SandboxState, end.SandboxState)
            .SetTag(TelemetryNames.ApprovalSource, end.ApprovalSource)
            .SetTag(TelemetryNames.AttemptCount, end.AttemptCount)
            .SetTag(TelemetryNames.RetryCount, end.RetryCount)
            .SetTag(TelemetryNames.ProcessExitCode, end.ExitCode);
        if (end.Status != "succeeded")
        {
            _failedToolStatus ??= end.Status;
            span.SetTag(TelemetryNames.ErrorType, end.Status);
            span.SetStatus(ActivityStatusCode.Error, end.StatusDetail is null ? null : _redactor.Redact(end.StatusDetail));
        }

        EndSpan(span, e.Timestamp);
    }

    private void OnRunSummary(ExecEvent e, RunSummaryPayload summary)
    {
        string result = PipelineResult(summary.Status);
        if (!_health.Disabled)
        {
            _pipeline!.Instruments.Run(_export!, _task, result, summary.DurationMs);
        }
        if (_run is null || _run.IsStopped)
        {
            return;
        }

        CloseTools(e.Timestamp);
        _run.SetTag(TelemetryNames.PipelineResult, result)
            .SetTag(TelemetryNames.Status, summary.Status)
            .SetTag(TelemetryNames.ProcessExitCode, summary.ExitCode)
            .SetTag(TelemetryNames.CommandsTotal, summary.Commands.Total)
            .SetTag(TelemetryNames.CommandsFailed, summary.Commands.Failed + summary.Commands.TimedOut)
            .SetTag(TelemetryNames.CommandsSkipped, summary.Commands.Skipped);
        if (summary.Status != "succeeded")
        {
            _run.SetTag(TelemetryNames.ErrorType, _failedToolStatus ?? summary.Status);
            _run.SetStatus(ActivityStatusCode.Error, summary.StatusDetail is null ? null : _redactor.Redact(summary.StatusDetail));
        }

        EndSpan(_run, e.Timestamp);
    }

    /// <summary>The attempt's span, started now if the door asked for its TRACEPARENT before <c>exec:begin</c>.</summary>
    private Activity? Exec(string execId, string? toolRunId, DateTimeOffset at)
    {
        if (_execs.TryGetValue(execId, out Activity? span))
        {
            return span;
        }

        if (_run is null)
        {
            return null;
        }

        Activity? tool = toolRunId is not null && _tools.TryGetValue(toolRunId, out Activity? t) ? t : null;
        string name = tool?.GetTagItem(TelemetryNames.TaskName) as string ?? "exec";
        span = StartSpan(name, ActivityKind.Internal, (tool ?? _run).Context, at);
        if (span is not null)
        {
            span.SetTag(TelemetryNames.ExecId, execId).SetTag(TelemetryNames.TaskRunId, toolRunId);
            _execs[execId] = span;
        }

        return span;
    }

    /// <summary>Ends whatever a missing <c>tool:end</c>/<c>run:summary</c> left open (a run that stopped on an error).</summary>
    private void CloseOpen(DateTimeOffset at)
    {
        CloseTools(at);
        if (_run is { IsStopped: false } run)
        {
            run.SetTag(TelemetryNames.PipelineResult, "error").SetTag(TelemetryNames.Incomplete, true).SetTag(TelemetryNames.ErrorType, "incomplete");
            run.SetStatus(ActivityStatusCode.Error, "the run ended without run:summary");
            EndSpan(run, at);
        }
    }

    private void CloseTools(DateTimeOffset at)
    {
        foreach (Activity exec in _execs.Values)
        {
            Abandon(exec, at);
        }

        _execs.Clear();
        foreach (Activity tool in _tools.Values)
        {
            Abandon(tool, at);
        }

        _tools.Clear();
    }

    private void CloseExecsOf(Activity tool, DateTimeOffset at)
    {
        foreach (var (execId, exec) in _execs.Where(x => x.Value.ParentSpanId == tool.SpanId).ToList())
        {
            _execs.Remove(execId);
            Abandon(exec, at);
        }
    }

    private void Abandon(Activity span, DateTimeOffset at)
    {
        span.SetTag(TelemetryNames.Incomplete, true);
        span.SetStatus(ActivityStatusCode.Error, "no end event");
        EndSpan(span, at);
    }

    private static Activity? StartSpan(string name, ActivityKind kind, ActivityContext parent, DateTimeOffset start)
    {
        // Activity.Current belongs to the thread that emits (often a process I/O thread, perhaps an
        // instrumented host's request): neither take a parent from it nor leave our span in it.
        Activity? previous = Activity.Current;
        Activity.Current = null;
        try
        {
            Activity? span = Source.CreateActivity(name, kind, parent, idFormat: ActivityIdFormat.W3C);
            if (span is null)
            {
                return null;
            }

            span.SetStartTime(start.UtcDateTime);
            span.Start();
            return span;
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    private void EndSpan(Activity span, DateTimeOffset end)
    {
        Activity? previous = Activity.Current;
        try
        {
            span.SetEndTime(end < span.StartTimeUtc ? span.StartTimeUtc : end.UtcDateTime);
            span.Stop();
        }
        finally
        {
            // Stop() restores the Activity.Current of the span's start, on whatever thread stops it.
            Activity.Current = previous;
        }

        if (span.Recorded)
        {
            _pipeline!.Export(_export!, span);
        }
    }

    private static ActivityContext IncomingParent(Func<string, string?> environment)
    {
        string? traceParent = environment(TelemetryNames.TraceParentVariable)?.Trim();
        return !string.IsNullOrEmpty(traceParent)
            && ActivityContext.TryParse(traceParent, environment(TelemetryNames.TraceStateVariable)?.Trim(), isRemote: true, out ActivityContext context)
            ? context
            : default;
    }

    /// <summary>The program a command runs, for span names: the first word that is not a VAR=value, without its directory.</summary>
    private string ProgramName(string command, string fallback)
    {
        foreach (string word in command.Split([' ', '\t', '\n', ';', '|', '&'], StringSplitOptions.RemoveEmptyEntries))
        {
            string unquoted = word.Trim('\'', '"');
            if (unquoted.Length == 0 || (unquoted.Contains('=') && !unquoted.StartsWith('=')))
            {
                continue;
            }

            string name = _redactor.Redact(unquoted[(unquoted.LastIndexOf('/') + 1)..]);
            return name.Length == 0 ? fallback : name.Length <= 64 ? name : name[..64];
        }

        return fallback;
    }

    private static string PipelineResult(string runStatus) => runStatus switch
    {
        "succeeded" => "success",
        "failed" => "failure",
        "cancelled" => "cancellation",
        _ => "error",
    };

    private static string TaskResult(string toolStatus) => toolStatus switch
    {
        "succeeded" => "success",
        "timed_out" => "timeout",
        "cancelled" => "cancellation",
        "denied" => "skipped",
        _ => "failure",
    };

    private static SecretSet ProcessSecrets()
    {
        var variables = new List<KeyValuePair<string, string?>>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables.Add(new((string)entry.Key, entry.Value as string));
        }

        return SecretSet.Create(variables);
    }
}
