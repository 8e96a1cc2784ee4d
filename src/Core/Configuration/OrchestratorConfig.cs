using System.Collections.Immutable;
using Orchestrator.Core.Orchestration;

namespace Orchestrator.Core.Configuration;

/// <summary>
/// What one configuration file says. A null scalar (or list) was not set in that file, so a lower
/// level or the default applies; paths are already absolute.
/// </summary>
public sealed record OrchestratorConfig
{
    public static OrchestratorConfig Empty { get; } = new();

    public ConfigValue<string>? TaskId { get; init; }

    public ConfigValue<string>? RunsRoot { get; init; }

    public ConfigValue<ApprovalPolicy>? ApprovalPolicy { get; init; }

    public SandboxConfig Sandbox { get; init; } = SandboxConfig.Empty;

    public RetriesConfig Retries { get; init; } = RetriesConfig.Empty;

    public ApprovalsConfig Approvals { get; init; } = ApprovalsConfig.Empty;

    public SecretsConfig Secrets { get; init; } = SecretsConfig.Empty;

    public OutputConfig Output { get; init; } = OutputConfig.Empty;

    /// <summary>Notification targets as written (credentials included), each already validated; the list is replaced, not merged.</summary>
    public ConfigValue<ImmutableArray<string>>? Notify { get; init; }

    /// <summary>The <c>telemetry:</c> section (the OTLP endpoint).</summary>
    public TelemetryConfig Telemetry { get; init; } = TelemetryConfig.Empty;

    /// <summary>Named pipelines (<c>pipelines:</c>), each validated on its own; references are checked by <see cref="Pipelines.PipelineCatalog"/>.</summary>
    public ImmutableArray<Pipelines.PipelineDefinition> Pipelines { get; init; } = [];

    /// <summary>The guardrails pipeline (<c>guardrails:</c>), or null when not set.</summary>
    public Pipelines.PipelineDefinition? Guardrails { get; init; }

    /// <summary>The built-in spec guard's settings (<c>specGuard:</c>), or null when not set.</summary>
    public Pipelines.SpecGuardSettings? SpecGuard { get; init; }
}
