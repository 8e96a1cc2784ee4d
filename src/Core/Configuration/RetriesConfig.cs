using System.Collections.Immutable;

namespace Orchestrator.Core.Configuration;

/// <summary>The <c>retries:</c> section of one file. A null member was not set there.</summary>
public sealed record RetriesConfig
{
    public static RetriesConfig Empty { get; } = new();

    /// <summary>Attempts in all, the first included (1-20).</summary>
    public ConfigValue<int>? MaxAttempts { get; init; }

    public ConfigValue<int>? InitialDelayMs { get; init; }

    public ConfigValue<int>? MaxDelayMs { get; init; }

    public ConfigValue<ImmutableArray<int>>? TransientExitCodes { get; init; }

    /// <summary>.NET regular expressions, already checked to compile.</summary>
    public ConfigValue<ImmutableArray<string>>? TransientOutputPatterns { get; init; }
}
