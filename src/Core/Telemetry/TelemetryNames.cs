namespace Orchestrator.Core.Telemetry;

/// <summary>
/// The names the Orchestrator's telemetry uses: the instrumentation scope, span attributes (the
/// OpenTelemetry CI/CD, process and error conventions where one fits, <c>orchestrator.*</c>
/// otherwise) and metrics. docs/telemetry.md lists them with their meaning.
/// </summary>
public static class TelemetryNames
{
    /// <summary>The ActivitySource and Meter name (the instrumentation scope).</summary>
    public const string Scope = "Orchestrator";

    public const string TraceParentVariable = "TRACEPARENT";
    public const string TraceStateVariable = "TRACESTATE";

    // CI/CD semantic conventions.
    public const string PipelineName = "cicd.pipeline.name";
    public const string PipelineRunId = "cicd.pipeline.run.id";
    public const string PipelineResult = "cicd.pipeline.result";
    public const string PipelineAction = "cicd.pipeline.action.name";
    public const string TaskName = "cicd.pipeline.task.name";
    public const string TaskRunId = "cicd.pipeline.task.run.id";
    public const string TaskRunResult = "cicd.pipeline.task.run.result";
    public const string ErrorType = "error.type";

    // Process semantic conventions.
    public const string ProcessExitCode = "process.exit.code";
    public const string ProcessPid = "process.pid";
    public const string ProcessCommandLine = "process.command_line";

    // Orchestrator attributes.
    public const string Runner = "orchestrator.runner";
    public const string PipelineId = "orchestrator.pipeline.id";
    public const string ParentRunId = "orchestrator.parent_run.id";
    public const string ApprovalPolicy = "orchestrator.approval.policy";
    public const string SandboxMode = "orchestrator.sandbox.mode";
    public const string NetworkAccess = "orchestrator.sandbox.network";
    public const string Tool = "orchestrator.tool";
    public const string Command = "orchestrator.command";
    public const string Status = "orchestrator.status";
    public const string SandboxState = "orchestrator.sandbox.state";
    public const string ApprovalSource = "orchestrator.approval.source";
    public const string ApprovalDecision = "orchestrator.approval.decision";
    public const string ApprovalAction = "orchestrator.approval.action";
    public const string ApprovalScope = "orchestrator.approval.scope";
    public const string AttemptCount = "orchestrator.attempt.count";
    public const string RetryCount = "orchestrator.retry.count";
    public const string RetryReason = "orchestrator.retry.reason";
    public const string ExecId = "orchestrator.exec.id";
    public const string Attempt = "orchestrator.attempt";
    public const string DurationMs = "orchestrator.duration_ms";
    public const string Signal = "orchestrator.signal";
    public const string CommandsTotal = "orchestrator.commands.total";
    public const string CommandsFailed = "orchestrator.commands.failed";
    public const string CommandsSkipped = "orchestrator.commands.skipped";
    public const string Incomplete = "orchestrator.incomplete";

    // Span events.
    public const string RetryEvent = "orchestrator.retry";
    public const string ApprovalEvent = "orchestrator.approval";

    // Metrics.
    public const string CommandsMetric = "orchestrator.commands";
    public const string CommandDurationMetric = "orchestrator.command.duration";
    public const string RetriesMetric = "orchestrator.command.retries";
    public const string EscalationsMetric = "orchestrator.command.escalations";
    public const string RunDurationMetric = "cicd.pipeline.run.duration";
}
