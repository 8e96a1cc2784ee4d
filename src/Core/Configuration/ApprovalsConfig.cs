using System.Collections.Immutable;

namespace Orchestrator.Core.Configuration;

/// <summary>The <c>approvals:</c> section of one file.</summary>
public sealed record ApprovalsConfig
{
    public static ApprovalsConfig Empty { get; } = new();

    /// <summary>Pre-approvals in file order (empty when none). Rules of the repo and user files add up.</summary>
    public ImmutableArray<ConfigValue<ApprovalRule>> Rules { get; init; } = [];

    /// <summary>Extra argv prefixes the untrusted policy runs without asking; null when not set.</summary>
    public ConfigValue<ImmutableArray<ImmutableArray<string>>>? SafeCommands { get; init; }

    /// <summary>Absolute path of the approval cache file; null when not set.</summary>
    public ConfigValue<string>? CacheFile { get; init; }
}
