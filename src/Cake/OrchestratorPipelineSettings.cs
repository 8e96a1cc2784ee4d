using Cake.Core.Diagnostics;

namespace Cake.Orchestrator;

/// <summary>
/// Settings of <see cref="OrchestratorPipelineAliases"/> (<c>OrchestratorPipeline</c>, <c>OrchestratorGuardrails</c>).
/// Pipelines and guardrails come from orchestrator.yaml (docs/pipelines.md). Documented in docs/cake.md.
/// </summary>
public sealed class OrchestratorPipelineSettings : OrchestratorRunSettings
{
    /// <summary>Guardrails only: built-in checks (spec guard) report what they find without failing.</summary>
    public bool DryRun { get; set; }

    /// <summary>Return a failed run as a result instead of throwing.</summary>
    public bool IgnoreFailure { get; set; }

    /// <summary>The Cake verbosity step output is logged at (default Normal).</summary>
    public Verbosity OutputVerbosity { get; set; } = Verbosity.Normal;

    /// <summary>Do not log each step's command line.</summary>
    public bool EchoOff { get; set; }
}
