namespace Orchestrator.Core.Events;

/// <summary>Where a command's complete raw output lies, relative to the run directory.</summary>
public sealed record CommandLogPaths(string Stdout, string Stderr);
