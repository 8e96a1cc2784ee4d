using System.Collections.Immutable;
using System.Globalization;

namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>
/// Puts a sandboxed command under its process and memory limits with the best the kernel offers
/// here, probed once per process: a cgroup v2 child where the orchestrator's cgroup delegates the
/// pids and memory controllers, else the v1 hierarchy where it is writable (root), else rlimits set
/// inside the sandbox's user namespace. Root is not bound by RLIMIT_NPROC, so as root without a
/// writable cgroup the process limit is recorded as unenforced rather than claimed.
/// </summary>
public static class SandboxLimiter
{
    /// <summary>Moves the shell into each cgroup named before <c>--</c>, then becomes the program after it.</summary>
    private const string Trampoline = "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 125; shift; done; shift; exec \"$@\"";

    /// <summary>Enough for the commands of parallel builds in one process; more are removed instead.</summary>
    private const int MaxIdleSets = 16;

    private static readonly Lazy<Probe> Probed = new(ProbeKernel);
    private static readonly Lock PoolGate = new();
    private static readonly List<CgroupLeafSet> Idle = [];
    private static int _sequence;
    private static bool _exitHooked;

    /// <summary>What <see cref="Begin"/> will enforce and how, for the run's manifest (nothing is created).</summary>
    public static SandboxLimitsRecord Describe(SandboxLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return limits.IsEmpty ? SandboxLimitScope.Unlimited.Record : Plan(limits, Probed.Value).Record;
    }

    /// <summary>Gives the command cgroups (an idle set with the same limits, else new ones) and the argv that applies the limits.</summary>
    /// <remarks>A cgroup the kernel refuses now (it accepted the probe's) degrades to rlimits, and the scope's record says so.</remarks>
    public static SandboxLimitScope Begin(SandboxLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (limits.IsEmpty)
        {
            return SandboxLimitScope.Unlimited;
        }

        var probe = Probed.Value;
        var set = TakeIdle(limits) ?? Create(limits, probe);
        foreach (var leaf in set.Leaves)
        {
            leaf.StartUse();
        }

        var plan = Plan(limits, probe with { Parents = set.Usable });
        var outer = ImmutableArray<string>.Empty;
        if (!set.Leaves.IsEmpty)
        {
            var builder = ImmutableArray.CreateBuilder<string>();
            builder.AddRange("/bin/sh", "-c", Trampoline, "orchestrator-limits");
            builder.AddRange(set.Leaves.Select(l => l.ProcsFile));
            builder.Add("--");
            outer = builder.ToImmutable();
        }

        return new SandboxLimitScope(plan.Record, outer, plan.Inner, set);
    }

    /// <summary>
    /// A command's cgroups after it ended: kept for the next command when empty (the PID namespace
    /// has ended everything in them; zombies can lag), else removed in the background once they are.
    /// </summary>
    internal static void Release(CgroupLeafSet set)
    {
        if (set.Leaves.IsEmpty)
        {
            return;
        }

        if (set.Leaves.All(l => l.IsEmpty))
        {
            lock (PoolGate)
            {
                if (Idle.Count < MaxIdleSets)
                {
                    Idle.Add(set);
                    return;
                }
            }
        }

        _ = Task.Run(() => Remove(set));
    }

    private static CgroupLeafSet? TakeIdle(SandboxLimits limits)
    {
        lock (PoolGate)
        {
            for (int i = Idle.Count - 1; i >= 0; i--)
            {
                var set = Idle[i];
                if (set.Limits == limits)
                {
                    Idle.RemoveAt(i);
                    return set;
                }
            }
        }

        return null;
    }

    private static CgroupLeafSet Create(SandboxLimits limits, Probe probe)
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"orchestrator-{Environment.ProcessId}-{Interlocked.Increment(ref _sequence)}");
        var leaves = ImmutableArray.CreateBuilder<CgroupLeaf>();
        var usable = new List<CgroupParent>();
        foreach (var (parent, pids, memory) in Plan(limits, probe).Cgroups)
        {
            string path = Path.Combine(parent.Directory, name);
            var leaf = new CgroupLeaf(path, parent.Unified, pids, memory);
            try
            {
                Directory.CreateDirectory(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (!leaf.Apply(limits))
            {
                leaf.Remove();
                continue;
            }

            leaves.Add(leaf);
            usable.Add(parent with { Pids = pids, Memory = memory });
        }

        if (leaves.Count > 0)
        {
            HookExit();
        }

        return new CgroupLeafSet(leaves.ToImmutable(), limits, usable);
    }

    private static void Remove(CgroupLeafSet set)
    {
        foreach (var leaf in set.Leaves)
        {
            leaf.Remove();
        }
    }

    /// <summary>Idle cgroups go with the process (a killed process leaves empty ones, named after its pid).</summary>
    private static void HookExit()
    {
        lock (PoolGate)
        {
            if (_exitHooked)
            {
                return;
            }

            _exitHooked = true;
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            List<CgroupLeafSet> idle;
            lock (PoolGate)
            {
                idle = [.. Idle];
                Idle.Clear();
            }

            foreach (var set in idle)
            {
                Remove(set);
            }
        };
    }

    /// <summary>Which cgroup gives each limit (a delegated v2 one first), and rlimits inside the sandbox for the rest.</summary>
    private static LimitPlan Plan(SandboxLimits limits, Probe probe)
    {
        string processesBy = LimitEnforcement.None;
        string memoryBy = LimitEnforcement.None;
        var cgroups = new List<(CgroupParent Parent, bool Pids, bool Memory)>();
        foreach (var parent in probe.Parents)
        {
            bool pids = parent.Pids && limits.MaxProcesses > 0 && processesBy == LimitEnforcement.None;
            bool memory = parent.Memory && limits.MaxMemoryBytes > 0 && memoryBy == LimitEnforcement.None;
            if (!pids && !memory)
            {
                continue;
            }

            cgroups.Add((parent, pids, memory));
            string by = parent.Unified ? LimitEnforcement.CgroupV2 : LimitEnforcement.CgroupV1;
            processesBy = pids ? by : processesBy;
            memoryBy = memory ? by : memoryBy;
        }

        var inner = ImmutableArray.CreateBuilder<string>();
        string? detail = null;
        var args = new List<string>();
        if (limits.MaxProcesses > 0 && processesBy == LimitEnforcement.None)
        {
            if (probe.IsRoot)
            {
                detail = "RLIMIT_NPROC does not bind root and no cgroup is writable here: the process count is not limited";
            }
            else if (probe.Prlimit is not null)
            {
                args.Add(string.Create(CultureInfo.InvariantCulture, $"--nproc={limits.MaxProcesses}"));
                processesBy = LimitEnforcement.Rlimit;
            }
        }

        if (limits.MaxMemoryBytes > 0 && memoryBy == LimitEnforcement.None && probe.Prlimit is not null)
        {
            args.Add(string.Create(CultureInfo.InvariantCulture, $"--data={limits.MaxMemoryBytes}"));
            memoryBy = LimitEnforcement.Rlimit;
            detail ??= "no writable cgroup here: memory is limited per process (RLIMIT_DATA), not for the sandbox as a whole";
        }

        if (args.Count > 0)
        {
            inner.Add(probe.Prlimit!);
            inner.AddRange(args);
            inner.Add("--");
        }

        if (detail is null && ((limits.MaxProcesses > 0 && processesBy == LimitEnforcement.None) || (limits.MaxMemoryBytes > 0 && memoryBy == LimitEnforcement.None)))
        {
            detail = "no writable cgroup and no prlimit(1) here: some limits are not enforced";
        }

        var record = new SandboxLimitsRecord(Math.Max(0, limits.MaxProcesses), processesBy, Math.Max(0, limits.MaxMemoryBytes), memoryBy, detail);
        return new LimitPlan(cgroups, inner.ToImmutable(), record);
    }

    private static Probe ProbeKernel()
    {
        bool root = Native.LibC.geteuid() == 0;
        string? prlimit = File.Exists("/usr/bin/prlimit") ? "/usr/bin/prlimit" : File.Exists("/bin/prlimit") ? "/bin/prlimit" : null;
        var parents = new List<CgroupParent>();
        try
        {
            var memberships = File.ReadAllLines("/proc/self/cgroup");
            var mounts = File.ReadAllLines("/proc/self/mountinfo");
            foreach (var parent in CgroupParents(memberships, mounts))
            {
                if (CanCreateChild(parent.Directory))
                {
                    parents.Add(parent);
                    RemoveAbandoned(parent.Directory);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No /proc or no cgroups: rlimits only.
        }

        // A delegated v2 subtree bounds both resources at once; prefer it.
        parents.Sort((a, b) => b.Unified.CompareTo(a.Unified));
        return new Probe(parents, prlimit, root);
    }

    /// <summary>The cgroups the process is in, where they are mounted, and which limit controllers each can give a child.</summary>
    internal static IEnumerable<CgroupParent> CgroupParents(IEnumerable<string> memberships, IEnumerable<string> mountInfo)
    {
        var v1Mounts = new Dictionary<string, (string Root, string Point)>(StringComparer.Ordinal);
        (string Root, string Point)? v2Mount = null;
        foreach (string line in mountInfo)
        {
            int separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
            {
                continue;
            }

            string[] head = line[..separator].Split(' ');
            string[] tail = line[(separator + 3)..].Split(' ');
            if (head.Length < 5 || tail.Length < 3)
            {
                continue;
            }

            string root = Unescape(head[3]);
            string point = Unescape(head[4]);
            if (tail[0] == "cgroup2")
            {
                v2Mount ??= (root, point);
            }
            else if (tail[0] == "cgroup")
            {
                foreach (string option in tail[2].Split(','))
                {
                    if (option is "pids" or "memory")
                    {
                        v1Mounts.TryAdd(option, (root, point));
                    }
                }
            }
        }

        foreach (string line in memberships)
        {
            string[] parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            if (parts[1].Length == 0 && v2Mount is var (root2, point2))
            {
                if (Under(parts[2], root2, point2) is string directory)
                {
                    string controllers = ReadOrEmpty(Path.Combine(directory, "cgroup.subtree_control"));
                    var names = controllers.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    bool pids = names.Contains("pids");
                    bool memory = names.Contains("memory");
                    if (pids || memory)
                    {
                        yield return new CgroupParent(directory, true, pids, memory);
                    }
                }

                continue;
            }

            foreach (string controller in parts[1].Split(','))
            {
                if (v1Mounts.TryGetValue(controller, out var mount) && Under(parts[2], mount.Root, mount.Point) is string directory)
                {
                    yield return new CgroupParent(directory, false, controller == "pids", controller == "memory");
                }
            }
        }
    }

    /// <summary>The directory of a cgroup path under a mount of the hierarchy (null when the mount shows another part of it).</summary>
    private static string? Under(string cgroupPath, string mountRoot, string mountPoint)
    {
        if (mountRoot != "/" && !(cgroupPath == mountRoot || cgroupPath.StartsWith(mountRoot + "/", StringComparison.Ordinal)))
        {
            return null;
        }

        string relative = (mountRoot == "/" ? cgroupPath : cgroupPath[mountRoot.Length..]).Trim('/');
        return relative.Length == 0 ? Path.GetFullPath(mountPoint) : Path.GetFullPath(Path.Combine(mountPoint, relative));
    }

    /// <summary>Empty cgroups left by an orchestrator process that was killed (its pid is in their name and gone).</summary>
    internal static void RemoveAbandoned(string parent)
    {
        foreach (string directory in Directory.EnumerateDirectories(parent, "orchestrator-*"))
        {
            string[] parts = Path.GetFileName(directory).Split('-');
            if (parts.Length == 3 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                try
                {
                    Directory.Delete(directory);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Still holds a process, or not ours to remove: leave it.
                }
            }
        }
    }

    private static bool CanCreateChild(string directory)
    {
        string probe = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"orchestrator-probe-{Environment.ProcessId}"));
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as octal.</summary>
    private static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);

    internal sealed record CgroupParent(string Directory, bool Unified, bool Pids, bool Memory);

    private sealed record Probe(List<CgroupParent> Parents, string? Prlimit, bool IsRoot);

    private sealed record LimitPlan(List<(CgroupParent Parent, bool Pids, bool Memory)> Cgroups, ImmutableArray<string> Inner, SandboxLimitsRecord Record);
}
