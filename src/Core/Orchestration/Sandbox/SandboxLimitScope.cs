using System.Collections.Immutable;

namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>
/// The limits of one sandboxed command while it runs: the argv that puts bwrap into its cgroups
/// before it can fork (<see cref="Outer"/>), the argv that sets rlimits inside the sandbox's user
/// namespace (<see cref="Inner"/>), and afterwards whether a limit was hit. Disposing removes the
/// command's cgroups (the PID namespace has ended every process in them by then).
/// </summary>
public sealed class SandboxLimitScope : IDisposable
{
    private readonly ImmutableArray<CgroupLeaf> _leaves;

    internal SandboxLimitScope(SandboxLimitsRecord record, ImmutableArray<string> outer, ImmutableArray<string> inner, ImmutableArray<CgroupLeaf> leaves)
    {
        Record = record;
        Outer = outer;
        Inner = inner;
        _leaves = leaves;
    }

    /// <summary>No limits: nothing wraps the command.</summary>
    public static SandboxLimitScope Unlimited { get; } = new(
        new SandboxLimitsRecord(0, LimitEnforcement.None, 0, LimitEnforcement.None, null), [], [], []);

    /// <summary>What is in force and how, for the manifest.</summary>
    public SandboxLimitsRecord Record { get; }

    /// <summary>Program and arguments to run before bwrap (empty: run bwrap directly).</summary>
    public ImmutableArray<string> Outer { get; }

    /// <summary>Program and arguments to run inside the sandbox before the command (empty: none).</summary>
    public ImmutableArray<string> Inner { get; }

    /// <summary>Why a limit was hit, from the kernel's own counters; null when none was (or none can tell).</summary>
    public string? Exceeded()
    {
        foreach (var leaf in _leaves)
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
        foreach (var leaf in _leaves)
        {
            leaf.Remove();
        }
    }
}
