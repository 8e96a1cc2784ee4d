namespace Orchestrator.Core.Configuration;

/// <summary>A value read from a configuration file, with where it was written.</summary>
public sealed record ConfigValue<T>(T Value, ConfigLocation Location);
