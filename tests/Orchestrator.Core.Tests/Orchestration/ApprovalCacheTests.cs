using System.Collections.Immutable;
using Orchestrator.Core.Orchestration.Approvals;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Orchestration;

[TestClass]
public sealed class ApprovalCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static ApprovalSubject Subject(string command, string task = "t", string run = "r1", string tree = "/work/repo", ApprovalAction action = ApprovalAction.Escalate) =>
        new(action, [.. command.Split(' ')], tree, task, run);

    private static string CachePath(TempDirectory dir) => dir.Combine($"approvals-{Guid.NewGuid():N}.jsonl");

    [TestMethod]
    public void AGrantIsFoundForTheSameActionCommandAndWorkingTreeOnly()
    {
        using var dir = new TempDirectory();
        var cache = ApprovalCache.Open(CachePath(dir));
        cache.Grant(Subject("npm ci"), ApprovalScope.Persistent, "alice", "needs the registry", Now);

        Assert.IsNotNull(cache.Find(Subject("npm ci", task: "other", run: "r9"), Now));
        Assert.IsNull(cache.Find(Subject("npm install"), Now));
        Assert.IsNull(cache.Find(Subject("npm ci", tree: "/work/other-checkout"), Now));
        Assert.IsNull(cache.Find(Subject("npm ci", action: ApprovalAction.Run), Now));
    }

    [TestMethod]
    public void ScopesLimitWhereAnApprovalApplies()
    {
        using var dir = new TempDirectory();
        var cache = ApprovalCache.Open(CachePath(dir));
        cache.Grant(Subject("make run-scope", task: "t", run: "r1"), ApprovalScope.Run, "a", null, Now);
        cache.Grant(Subject("make task-scope", task: "t", run: "r1"), ApprovalScope.Task, "a", null, Now);

        Assert.IsNotNull(cache.Find(Subject("make run-scope", task: "t", run: "r1"), Now));
        Assert.IsNull(cache.Find(Subject("make run-scope", task: "t", run: "r2"), Now));
        Assert.IsNotNull(cache.Find(Subject("make task-scope", task: "t", run: "r2"), Now));
        Assert.IsNull(cache.Find(Subject("make task-scope", task: "u", run: "r2"), Now));
    }

    [TestMethod]
    public void OneShotApprovalsAreNeverCachedAndExpiredOnesNoLongerApply()
    {
        using var dir = new TempDirectory();
        string path = CachePath(dir);
        var cache = ApprovalCache.Open(path);

        Assert.IsNull(cache.Grant(Subject("deploy"), ApprovalScope.Once, "a", null, Now));
        Assert.IsFalse(File.Exists(path));
        cache.Grant(Subject("deploy"), ApprovalScope.Persistent, "a", null, Now, expiresAt: Now.AddHours(1));
        Assert.IsNotNull(cache.Find(Subject("deploy"), Now.AddMinutes(59)));
        Assert.IsNull(cache.Find(Subject("deploy"), Now.AddMinutes(61)));
    }

    [TestMethod]
    public void GrantsFromAnotherWriterAreSeenWithoutReloadingEverything()
    {
        using var dir = new TempDirectory();
        string path = CachePath(dir);
        var reader = ApprovalCache.Open(path);
        Assert.IsNull(reader.Find(Subject("first"), Now));

        var writer = NewInstance(path);
        writer.Grant(Subject("first"), ApprovalScope.Persistent, "w", null, Now);
        writer.Grant(Subject("second"), ApprovalScope.Persistent, "w", null, Now);

        Assert.IsNotNull(reader.Find(Subject("first"), Now));
        Assert.IsNotNull(reader.Find(Subject("second"), Now));
    }

    [TestMethod]
    public async Task ConcurrentWritersNeverInterleaveOrLoseAGrant()
    {
        using var dir = new TempDirectory();
        string path = CachePath(dir);
        // Separate instances have separate file descriptors, so they contend on the lock file the
        // way separate processes do.
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            var cache = NewInstance(path);
            for (int i = 0; i < 50; i++)
            {
                cache.Grant(Subject($"cmd-{w}-{i} " + new string('x', 500)), ApprovalScope.Persistent, $"writer-{w}", null, Now);
            }
        }));
        await Task.WhenAll(writers);

        string[] lines = await File.ReadAllLinesAsync(path);
        Assert.AreEqual(400, lines.Length);
        var fresh = NewInstance(path);
        for (int w = 0; w < 8; w++)
        {
            for (int i = 0; i < 50; i++)
            {
                Assert.IsNotNull(fresh.Find(Subject($"cmd-{w}-{i} " + new string('x', 500)), Now), $"grant {w}/{i} was lost");
            }
        }

        Assert.AreEqual(0, fresh.Warnings.Count);
    }

    [TestMethod]
    [DataRow("{\"key\":\"0123456789abcdef\",\"action\":\"escal", DisplayName = "truncated JSON")]
    [DataRow("not json at all\n", DisplayName = "garbage line")]
    [DataRow("{\"key\":\"\",\"action\":\"escalate\"}\n", DisplayName = "a line missing its fields")]
    public void ACorruptFileIsMovedAsideWithAWarningAndTreatedAsEmpty(string content)
    {
        using var dir = new TempDirectory();
        string path = CachePath(dir);
        File.WriteAllText(path, content);
        var cache = NewInstance(path);

        Assert.IsNull(cache.Find(Subject("anything"), Now));

        Assert.IsFalse(File.Exists(path));
        string[] aside = Directory.GetFiles(dir.Path, Path.GetFileName(path) + ".corrupt-*");
        Assert.AreEqual(1, aside.Length, "the bad file must be kept");
        Assert.AreEqual(content, File.ReadAllText(aside[0]));
        Assert.AreEqual(1, cache.Warnings.Count);
        StringAssert.Contains(cache.Warnings[0], "moved to");
        cache.Grant(Subject("after"), ApprovalScope.Persistent, "a", null, Now);
        Assert.IsNotNull(NewInstance(path).Find(Subject("after"), Now), "the cache works again after setting the bad file aside");
    }

    [TestMethod]
    public void KeysDependOnActionTreeAndEveryToken()
    {
        var a = new ApprovalSubject(ApprovalAction.Escalate, ["git", "push"], "/w", "t", "r");
        Assert.AreEqual(a.Key, new ApprovalSubject(ApprovalAction.Escalate, ["git", "push"], "/w", "other-task", "other-run").Key);
        Assert.AreNotEqual(a.Key, new ApprovalSubject(ApprovalAction.Run, ["git", "push"], "/w", "t", "r").Key);
        Assert.AreNotEqual(a.Key, new ApprovalSubject(ApprovalAction.Escalate, ["git", "push", "--force"], "/w", "t", "r").Key);
        Assert.AreNotEqual(a.Key, new ApprovalSubject(ApprovalAction.Escalate, ["git push"], "/w", "t", "r").Key, "token boundaries matter");
        Assert.AreNotEqual(a.Key, new ApprovalSubject(ApprovalAction.Escalate, ["git", "push"], "/w2", "t", "r").Key);
        Assert.AreEqual(32, a.Key.Length);
    }

    private static ApprovalCache NewInstance(string path)
    {
        // ApprovalCache.Open shares one instance per path within a process; a second, private
        // instance behaves like another process reading and writing the same file.
        var constructor = typeof(ApprovalCache).GetConstructors(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance).Single();
        return (ApprovalCache)constructor.Invoke([path]);
    }
}
