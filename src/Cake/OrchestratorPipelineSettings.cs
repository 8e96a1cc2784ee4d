using Cake.Core.Diagnostics;
using Cake.Core.IO;

namespace Cake.Orchestrator;

/// <summary>
/// Settings of <see cref="OrchestratorPipelineAliases"/> (<c>OrchestratorPipeline</c>, <c>OrchestratorGuardrails</c>).
/// Pipelines and guardrails come from orchestrator.yaml (docs/pipelines.md). Documented in docs/cake.md.
/// </summary>
public sealed class OrchestratorPipelineSettings : OrchestratorSettings
{
    /// <summary><c>untrusted</c>, <c>on-failure</c>, <c>on-request</c> or <c>never</c> for every step (a step's own override still applies).</summary>
    public string? ApprovalPolicy { get; set; }

    /// <summary><c>read-only</c>, <c>workspace-write</c> or <c>danger-full-access</c>.</summary>
    public string? SandboxMode { get; set; }

    public bool? NetworkAccess { get; set; }

    public IList<DirectoryPath> WritableRoots { get; set; } = [];

    /// <summary>Attempts for a transiently failing step, the first included (1-10).</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>Guardrails only: built-in checks (spec guard) report what they find without failing.</summary>
    public bool DryRun { get; set; }

    /// <summary>Return a failed run as a result instead of throwing.</summary>
    public bool IgnoreFailure { get; set; }

    /// <summary>The Cake verbosity step output is logged at (default Normal).</summary>
    public Verbosity OutputVerbosity { get; set; } = Verbosity.Normal;

    /// <summary>Do not log each step's command line.</summary>
    public bool EchoOff { get; set; }
}
