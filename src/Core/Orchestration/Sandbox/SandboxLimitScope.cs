using System.Collections.Immutable;
using Orchestrator.Core.Exec;

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

    /// <summary>
    /// The launch of a sandboxed program under these limits: the cgroup trampoline (if any), then
    /// bwrap's argv (<paramref name="bubblewrap"/>, ending with <c>--</c>), the rlimits, the program's argv.
    /// </summary>
    public ProcessLaunch Launch(ImmutableArray<string> bubblewrap, IEnumerable<string> argv, string workingDirectory, ImmutableArray<string> environment)
    {
        ImmutableArray<string> inside = [.. bubblewrap, .. Inner, .. argv];
        return Outer.IsEmpty
            ? new ProcessLaunch(bubblewrap[0], inside, workingDirectory, environment)
            : new ProcessLaunch(Outer[0], [.. Outer, .. inside], workingDirectory, environment);
    }

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
