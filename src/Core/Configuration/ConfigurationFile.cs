namespace Orchestrator.Core.Configuration;

/// <summary>A configuration file that was read: its absolute path, the SHA-256 of its bytes (lowercase hex) and what it says.</summary>
public sealed record ConfigurationFile(string Path, string Sha256, OrchestratorConfig Config);
