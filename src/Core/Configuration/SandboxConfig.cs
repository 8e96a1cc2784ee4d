using System.Collections.Immutable;
using Orchestrator.Core.Orchestration;

namespace Orchestrator.Core.Configuration;

/// <summary>The <c>sandbox:</c> section of one file. A null member was not set there.</summary>
public sealed record SandboxConfig
{
    public static SandboxConfig Empty { get; } = new();

    public ConfigValue<SandboxMode>? Mode { get; init; }

    public ConfigValue<bool>? Network { get; init; }

    /// <summary>Absolute paths (<c>~</c> expanded, relative ones resolved against the file's directory).</summary>
    public ConfigValue<ImmutableArray<string>>? WritableRoots { get; init; }

    public ConfigValue<bool>? ProtectGit { get; init; }

    /// <summary>Processes and threads per sandboxed command; 0 means no limit.</summary>
    public ConfigValue<int>? MaxProcesses { get; init; }

    /// <summary>Memory per sandboxed command in bytes; 0 means no limit.</summary>
    public ConfigValue<long>? MaxMemoryBytes { get; init; }
}
