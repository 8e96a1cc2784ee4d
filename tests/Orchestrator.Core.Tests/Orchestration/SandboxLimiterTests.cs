using Orchestrator.Core.Orchestration.Sandbox;

namespace Orchestrator.Core.Tests.Orchestration;

/// <summary>Where the limiter looks for cgroups it may use, read from real-format /proc files.</summary>
[TestClass]
public sealed class SandboxLimiterTests
{
    private const string V1Mounts = """
        30 25 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
        35 30 0:31 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,pids
        36 30 0:32 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,memory
        37 30 0:33 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,cpu,cpuacct
        38 30 0:34 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:18 - cgroup2 cgroup2 rw
        """;

    [TestMethod]
    public void TheV1PidsAndMemoryHierarchiesAreFoundAtTheProcessesOwnCgroup()
    {
        string[] memberships = ["9:pids:/ci/job", "8:memory:/ci/job", "7:cpu,cpuacct:/", "0::/ci/job"];

        var parents = SandboxLimiter.CgroupParents(memberships, V1Mounts.Split('\n')).ToList();

        CollectionAssert.AreEquivalent(
            new[] { "/sys/fs/cgroup/pids/ci/job (v1, pids)", "/sys/fs/cgroup/memory/ci/job (v1, memory)" },
            parents.Select(Describe).ToList(),
            "the v2 mount delegates no controller here (its subtree_control does not exist), so only v1 remains");
    }

    [TestMethod]
    public void ACgroupMountShowingAnotherPartOfTheHierarchyIsNotUsed()
    {
        // Inside a container the mount's root is the container's cgroup: a path outside it is not under this mount.
        string mounts = "35 30 0:31 /docker/abc /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids";

        var inside = SandboxLimiter.CgroupParents(["9:pids:/docker/abc/build"], [mounts]).Single();
        var outside = SandboxLimiter.CgroupParents(["9:pids:/elsewhere"], [mounts]).ToList();

        Assert.AreEqual("/sys/fs/cgroup/pids/build", inside.Directory);
        Assert.IsEmpty(outside);
    }

    [TestMethod]
    public void MountPointsWithEscapedSpacesAreUnescaped()
    {
        string mounts = @"35 30 0:31 / /mnt/cg\040pids rw - cgroup cgroup rw,pids";

        var parent = SandboxLimiter.CgroupParents(["9:pids:/"], [mounts]).Single();

        Assert.AreEqual("/mnt/cg pids", parent.Directory);
    }

    [TestMethod]
    public void NoLimitsMeansNothingWrapsTheCommand()
    {
        using var scope = SandboxLimiter.Begin(SandboxLimits.None);

        Assert.IsTrue(scope.Outer.IsEmpty);
        Assert.IsTrue(scope.Inner.IsEmpty);
        Assert.AreEqual(LimitEnforcement.None, scope.Record.ProcessesEnforcedBy);
        Assert.IsNull(scope.Exceeded());
    }

    [TestMethod]
    public void CgroupsOfAKilledOrchestratorAreRemovedButNotThoseOfALiveOneOrOnesStillInUse()
    {
        string parent = Directory.CreateTempSubdirectory("orch-cgroup-parent-").FullName;
        try
        {
            const int Dead = 4_194_305; // above the kernel's largest pid: never a live process
            string abandoned = Directory.CreateDirectory(Path.Combine(parent, $"orchestrator-{Dead}-1")).FullName;
            string mine = Directory.CreateDirectory(Path.Combine(parent, $"orchestrator-{Environment.ProcessId}-1")).FullName;
            string busy = Directory.CreateDirectory(Path.Combine(parent, $"orchestrator-{Dead}-2")).FullName;
            File.WriteAllText(Path.Combine(busy, "cgroup.procs"), "42\n"); // a plain directory stands in: non-empty cannot be removed
            string other = Directory.CreateDirectory(Path.Combine(parent, "someone-else")).FullName;

            SandboxLimiter.RemoveAbandoned(parent);

            Assert.IsFalse(Directory.Exists(abandoned));
            Assert.IsTrue(Directory.Exists(mine));
            Assert.IsTrue(Directory.Exists(busy));
            Assert.IsTrue(Directory.Exists(other));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    private static string Describe(SandboxLimiter.CgroupParent parent) =>
        $"{parent.Directory} ({(parent.Unified ? "v2" : "v1")}, {string.Join(",", new[] { parent.Pids ? "pids" : null, parent.Memory ? "memory" : null }.OfType<string>())})";
}
