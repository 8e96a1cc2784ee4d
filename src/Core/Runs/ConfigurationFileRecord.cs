namespace Orchestrator.Core.Runs;

/// <summary>A configuration file that shaped the run.</summary>
/// <param name="Level"><c>repo</c> or <c>user</c>.</param>
/// <param name="Path">Absolute path.</param>
/// <param name="Sha256">SHA-256 of its bytes when it was read.</param>
public sealed record ConfigurationFileRecord(string Level, string Path, string Sha256);
