using Cake.Core.IO;

namespace Cake.Orchestrator;

/// <summary>
/// What the aliases that run commands (<c>OrchestratorExec</c>, <c>OrchestratorPipeline</c>,
/// <c>OrchestratorGuardrails</c>) share: the approval policy, the sandbox and retries. Each is an
/// explicit setting, beating the environment and the configuration. Documented in docs/cake.md.
/// </summary>
public abstract class OrchestratorRunSettings : OrchestratorSettings
{
    /// <summary><c>untrusted</c>, <c>on-failure</c>, <c>on-request</c> or <c>never</c> (for a pipeline: every step; a step's own override still applies).</summary>
    public string? ApprovalPolicy { get; set; }

    /// <summary><c>read-only</c>, <c>workspace-write</c> or <c>danger-full-access</c>.</summary>
    public string? SandboxMode { get; set; }

    /// <summary>Allow sandboxed commands the network.</summary>
    public bool? NetworkAccess { get; set; }

    /// <summary>Extra directories writable in workspace-write.</summary>
    public IList<DirectoryPath> WritableRoots { get; set; } = [];

    /// <summary>Attempts for a transiently failing command or step, the first included (1-10).</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>
    /// An OTLP endpoint (<c>http://127.0.0.1:4318</c>) for the run's traces and metrics; <c>off</c> turns
    /// telemetry off. Beats <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> and the configuration (docs/telemetry.md).
    /// </summary>
    public string? OtelEndpoint { get; set; }

    /// <summary>
    /// Where the run's <c>run:summary</c> goes when it ends (<c>https://…</c>, <c>command:…</c>); when any
    /// are given they replace <c>ORCHESTRATOR_NOTIFY</c> and the configuration's list (docs/notifications.md).
    /// </summary>
    public IList<string> Notify { get; set; } = [];
}
