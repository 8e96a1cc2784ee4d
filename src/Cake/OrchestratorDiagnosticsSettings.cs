namespace Cake.Orchestrator;

/// <summary>Settings of <see cref="OrchestratorDiagnosticsAliases"/>. Documented in docs/cake.md.</summary>
public sealed class OrchestratorDiagnosticsSettings : OrchestratorSettings
{
    /// <summary>Throw a CakeException when a check fails (default true; warnings never throw).</summary>
    public bool FailOnFailedCheck { get; set; } = true;
}
