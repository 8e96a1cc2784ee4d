using System.Collections.Immutable;

namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>
/// The limits of one sandboxed command while it runs: the argv that puts bwrap into its cgroups
/// before it can fork (<see cref="Outer"/>), the argv that sets rlimits inside the sandbox's user
/// namespace (<see cref="Inner"/>), and afterwards whether a limit was hit. Disposing hands the
/// command's cgroups back for the next command (the PID namespace has ended every process in them).
/// </summary>
public sealed class SandboxLimitScope : IDisposable
{
    private readonly CgroupLeafSet _cgroups;
    private int _released;

    internal SandboxLimitScope(SandboxLimitsRecord record, ImmutableArray<string> outer, ImmutableArray<string> inner, CgroupLeafSet cgroups)
    {
        Record = record;
        Outer = outer;
        Inner = inner;
        _cgroups = cgroups;
    }

    /// <summary>No limits: nothing wraps the command.</summary>
    public static SandboxLimitScope Unlimited { get; } = new(
        new SandboxLimitsRecord(0, LimitEnforcement.None, 0, LimitEnforcement.None, null), [], [], CgroupLeafSet.None);

    /// <summary>What is in force and how, for the manifest.</summary>
    public SandboxLimitsRecord Record { get; }

    /// <summary>Program and arguments to run before bwrap (empty: run bwrap directly).</summary>
    public ImmutableArray<string> Outer { get; }

    /// <summary>Program and arguments to run inside the sandbox before the command (empty: none).</summary>
    public ImmutableArray<string> Inner { get; }

    /// <summary>Why a limit was hit, from the kernel's own counters; null when none was (or none can tell).</summary>
    public string? Exceeded()
    {
        foreach (var leaf in _cgroups.Leaves)
        {
            if (leaf.Exceeded() is string reason)
            {
                return reason;
            }
        }

        return null;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            SandboxLimiter.Release(_cgroups);
        }
    }
}
