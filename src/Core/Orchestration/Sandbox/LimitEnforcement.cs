namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>What the kernel offered to enforce a sandbox limit, as recorded in the manifest.</summary>
public static class LimitEnforcement
{
    /// <summary>A cgroup v2 child of the orchestrator's cgroup (a delegated subtree): bounds the whole sandbox.</summary>
    public const string CgroupV2 = "cgroup-v2";

    /// <summary>A cgroup in the v1 hierarchy (writable as root): bounds the whole sandbox.</summary>
    public const string CgroupV1 = "cgroup-v1";

    /// <summary>
    /// An rlimit set inside the sandbox's user namespace: processes are counted per user in that
    /// namespace, so only the sandbox's own; memory is bounded per process (its data segment).
    /// </summary>
    public const string Rlimit = "rlimit";

    /// <summary>Nothing could enforce it here (the manifest says so rather than claim a bound).</summary>
    public const string None = "none";
}
