using System.Collections.Immutable;

namespace Orchestrator.Core.Configuration;

/// <summary>The <c>secrets:</c> section of one file. Entries of the repo and user files add up.</summary>
public sealed record SecretsConfig
{
    public static SecretsConfig Empty { get; } = new();

    /// <summary>Environment variable names whose values are secret, beyond the built-in name markers.</summary>
    public ImmutableArray<ConfigValue<string>> Env { get; init; } = [];

    /// <summary>.NET regular expressions of values to redact, already checked to compile.</summary>
    public ImmutableArray<ConfigValue<string>> Patterns { get; init; } = [];
}
