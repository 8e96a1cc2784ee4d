using Orchestrator.Core.Commands.Sessions;
using Orchestrator.Core.Events;
using Orchestrator.Core.Events.Handles;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Notifications;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Orchestration.Approvals;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Security;
using Orchestrator.Core.Telemetry;

namespace Orchestrator.Core.Runs;

/// <summary>How a run is recorded and bounded. Every door builds one of these from its own inputs.</summary>
public sealed record RunOptions
{
    /// <summary>Explicit task id; when null: <c>MCP_RUNNER_TASK_ID</c>, then <c>default</c>.</summary>
    public string? TaskId { get; init; }

    /// <summary>Where runs are written; default: <c>.runs</c> at the workspace root (git root, else the working directory).</summary>
    public string? RunsRoot { get; init; }

    public RunnerKind Runner { get; init; } = RunnerKind.Sdk;

    public string? PipelineId { get; init; }

    public string? ParentRunId { get; init; }

    /// <summary>The run's working directory, default for its commands; default: the current directory.</summary>
    public string? WorkingDirectory { get; init; }

    public OutputLimits Output { get; init; } = OutputLimits.Default;

    /// <summary>Between SIGTERM and SIGKILL when a command is timed out or cancelled.</summary>
    public TimeSpan KillGracePeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>After a command's main process exits, how long to wait for background processes still holding its output open.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often <c>heartbeatAt</c> is refreshed while the run is in progress.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>fsync the final manifest and events file (survives power loss; every write is atomic either way).</summary>
    public bool DurableWrites { get; init; }

    /// <summary>Approval policy, pre-approvals, the cache file and (CLI only) a prompter. Default: on-failure, nothing pre-approved.</summary>
    public ApprovalSettings Approvals { get; init; } = ApprovalSettings.Default;

    /// <summary>What sandboxed commands may touch. Default: workspace-write, no network.</summary>
    public SandboxSettings Sandbox { get; init; } = SandboxSettings.Default;

    /// <summary>Retries of transient failures. Default: 3 attempts, 250 ms doubling.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>Where each effective setting came from, recorded in the manifest (doors fill it from the configuration).</summary>
    public IReadOnlyDictionary<string, string>? SettingSources { get; init; }

    /// <summary>The configuration files read for the run (recorded with their hashes).</summary>
    public IReadOnlyList<ConfigurationFileRecord> ConfigurationFiles { get; init; } = [];

    /// <summary>Extra event sinks (the door's own: build log, stdout JSONL, SDK stream).</summary>
    public IReadOnlyList<IExecEventSink> Sinks { get; init; } = [];

    /// <summary>Door taps that see all output regardless of the event budget (the MSBuild log).</summary>
    public IReadOnlyList<IOutputTap> OutputTaps { get; init; } = [];

    /// <summary>What is secret besides variables named like secrets (configuration <c>secrets:</c>, door-registered values).</summary>
    public SecretSettings Secrets { get; init; } = SecretSettings.Default;

    /// <summary>Where commands' output handles live (replay, late attach); default the process-wide service.</summary>
    public HandleService? Handles { get; init; }

    /// <summary>Where sessions live; default the process-wide manager (sessions outlive a run).</summary>
    public ExecSessionManager? Sessions { get; init; }

    /// <summary>
    /// The door's OTLP endpoint (CLI <c>--otel-endpoint</c>, MSBuild <c>OrchestratorOtelEndpoint</c>, the
    /// Cake setting, an SDK caller): the highest source, above <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> and the
    /// configuration; <c>off</c> turns telemetry off whatever they say; null or blank leaves the choice
    /// to them. The door is named by <see cref="Runner"/>. See docs/telemetry.md.
    /// </summary>
    public string? OtelEndpoint { get; init; }

    /// <summary>The configuration's <c>telemetry.endpoint</c> (<see cref="Configuration.RunOptionsResolver"/> fills it); null when unset.</summary>
    public string? ConfiguredOtelEndpoint { get; init; }

    /// <summary>
    /// The door's notification targets (CLI <c>--notify</c>, MSBuild <c>OrchestratorNotify</c>, the Cake
    /// setting, an SDK caller). When there is any, they replace <c>ORCHESTRATOR_NOTIFY</c> and the
    /// configuration's list. See docs/notifications.md.
    /// </summary>
    public IReadOnlyList<string> Notify { get; init; } = [];

    /// <summary>The configuration's <c>notify:</c> list (<see cref="Configuration.RunOptionsResolver"/> fills it).</summary>
    public IReadOnlyList<string> ConfiguredNotify { get; init; } = [];

    /// <summary>Timeouts, attempts and backoff of notification delivery at the end of the run.</summary>
    public NotificationOptions NotificationLimits { get; init; } = NotificationOptions.Default;

    /// <summary>
    /// Where the run reads <c>OTEL_EXPORTER_OTLP_*</c>, <c>TRACEPARENT</c>, <c>ORCHESTRATOR_NOTIFY</c>,
    /// <c>ORCHESTRATOR_HOME</c> and <c>HOME</c>; default: this process's environment. A host that keeps
    /// per-run environments (or a test) supplies its own.
    /// </summary>
    public Func<string, string?>? EnvironmentReader { get; init; }

    /// <summary>The run's live telemetry (set by <see cref="OrchestratorClient"/> when it is on): gives each command its <c>TRACEPARENT</c>.</summary>
    internal RunTelemetry? Telemetry { get; init; }

    /// <summary>
    /// Where the task state (<c>&lt;state-root&gt;/&lt;task-id&gt;/runs.jsonl</c>) is appended; default
    /// <c>out</c> beside the runs root (the workspace's <c>out/</c> for the default <c>.runs</c>).
    /// </summary>
    public string? StateRoot { get; init; }

    /// <summary>Record each state change of the run in the task state (default true).</summary>
    public bool RecordTaskState { get; init; } = true;

    /// <summary>The pipelines, guardrails and spec guard settings; null = read from the configuration when a pipeline is run.</summary>
    public Pipelines.PipelineCatalog? Pipelines { get; init; }
}
