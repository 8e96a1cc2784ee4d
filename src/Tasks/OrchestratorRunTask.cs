using Microsoft.Build.Framework;
using Orchestrator.Core;
using Orchestrator.Core.Doors;
using Orchestrator.Core.Outcomes;
using Orchestrator.Tasks.Logging;

namespace Orchestrator.Tasks;

/// <summary>
/// The run settings both tasks take (<see cref="OrchestratorExec"/> and <see cref="OrchestratorPipeline"/>),
/// declared once, as the Core's door input; the Core checks them (docs/settings.md).
/// </summary>
public abstract class OrchestratorRunTask : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancel = new();
    /// <summary>Logs the task's own ORCH messages from the task's resources.</summary>
    protected OrchestratorRunTask(System.Resources.ResourceManager resources)
        : base(resources)
    {
    }

    /// <summary>The task the run is recorded under (default: MCP_RUNNER_TASK_ID, configuration, default).</summary>
    public string? TaskId { get; set; }

    /// <summary>Where runs are written (default: configuration, else .runs at the workspace root).</summary>
    public string? RunsRoot { get; set; }

    /// <summary>A configuration file to use instead of the repository's orchestrator.yaml.</summary>
    public string? ConfigFile { get; set; }

    /// <summary>untrusted, on-failure, on-request or never (default: configuration, else on-failure).</summary>
    public string? ApprovalPolicy { get; set; }

    /// <summary>read-only, workspace-write or danger-full-access (default: configuration, else workspace-write).</summary>
    public string? SandboxMode { get; set; }

    /// <summary>Allow sandboxed commands the network (default: configuration, else false).</summary>
    public string? NetworkAccess { get; set; }

    /// <summary>Extra directories writable in workspace-write (default: configuration, else none).</summary>
    public string[]? WritableRoots { get; set; }

    /// <summary>Attempts for a transiently failing command, the first included (default: configuration, else 3).</summary>
    public string? MaxAttempts { get; set; }

    /// <summary>OTLP endpoint for the run's traces and metrics (beats OTEL_EXPORTER_OTLP_ENDPOINT and the configuration); <c>off</c> turns telemetry off. docs/telemetry.md.</summary>
    public string? OtelEndpoint { get; set; }

    /// <summary>Notification targets, separated by <c>;</c> or <c>,</c> (beat ORCHESTRATOR_NOTIFY and the configuration). docs/notifications.md.</summary>
    public string? Notify { get; set; }

    /// <summary>These parameters as the Core reads them; MSBuild cannot tell an unset property from an empty one, so a blank task id is unset.</summary>
    protected RunInput RunInput() => new()
    {
        TaskId = string.IsNullOrWhiteSpace(TaskId) ? null : TaskId,
        RunsRoot = RunsRoot,
        ApprovalPolicy = ApprovalPolicy,
        SandboxMode = SandboxMode,
        Network = NetworkAccess,
        WritableRoots = WritableRoots,
        MaxAttempts = MaxAttempts,
        OtelEndpoint = OtelEndpoint,
        Notify = NotifyTargets.Split(Notify),
    };

    /// <summary>Cancelled when MSBuild cancels the task (Ctrl+C): the run ends the command's process tree and records it.</summary>
    protected CancellationToken Cancellation => _cancel.Token;

    public void Cancel() => _cancel.Cancel();

    /// <summary>Renders one entry of the log bridge, on the task's thread.</summary>
    private protected void LogEntry(BuildLogEntry entry)
    {
        switch (entry.Kind)
        {
            case BuildLogEntryKind.CommandLine:
                Log.LogCommandLine(entry.Importance, entry.Text);
                break;
            case BuildLogEntryKind.Error:
                Log.LogError(entry.Text);
                break;
            default:
                Log.LogMessage(entry.Importance, "{0}", entry.Text);
                break;
        }
    }

    /// <summary>A failure of the Core before or around the run, from the catalogue, with the property to look at.</summary>
    protected void LogOrchestratorError(OrchestratorException ex) =>
        Log.LogOutcome(MessageCatalogue.Failure(ex, hint: ex.Code switch
        {
            OrchestratorErrorCode.RunsRootNotWritable => "Set OrchestratorRunsRoot (RunsRoot) to a writable directory.",
            OrchestratorErrorCode.RunNotFound => "Check OrchestratorResumeRunId and OrchestratorRunsRoot.",
            OrchestratorErrorCode.CorruptRunRecord => "Start the pipeline afresh (OrchestratorPipeline / OrchestratorGuardrails).",
            _ => null,
        }));
}
