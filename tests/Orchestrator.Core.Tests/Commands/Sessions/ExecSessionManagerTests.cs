using System.Collections.Immutable;
using Orchestrator.Core.Commands.Sessions;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Commands.Sessions;

/// <summary>Keyed reuse, replacement of dead sessions and the pruning order, with real shells.</summary>
[TestClass]
public sealed class ExecSessionManagerTests
{
    private static readonly ProcessLimits Quick = new(TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300));

    private static SessionStartOptions Options(string cwd) => new(cwd, ImmutableDictionary<string, string?>.Empty, TerminalSize.Default, null);

    private static async Task<ExecSession> StartAsync(ExecSessionManager manager, string id, string cwd) =>
        (await manager.GetOrStartAsync(id, Options(cwd), CancellationToken.None)).Session;

    [TestMethod]
    public async Task TheSameIdGetsTheSameSession()
    {
        using var dir = new TempDirectory();
        await using var manager = new ExecSessionManager();

        var first = await manager.GetOrStartAsync("build", Options(dir.Path), CancellationToken.None);
        var second = await manager.GetOrStartAsync("build", Options(dir.Path), CancellationToken.None);

        Assert.IsTrue(first.Created);
        Assert.IsFalse(second.Created);
        Assert.AreSame(first.Session, second.Session);
        Assert.AreEqual(1, manager.Count);
    }

    [TestMethod]
    public async Task ASessionWhoseShellExitedIsReplacedAndTheCallerIsToldWhy()
    {
        using var dir = new TempDirectory();
        await using var manager = new ExecSessionManager();
        var session = await StartAsync(manager, "build", dir.Path);
        await session.RunAsync("exit 3", new CollectingObserver(), Quick, CancellationToken.None);

        var lease = await manager.GetOrStartAsync("build", Options(dir.Path), CancellationToken.None);

        Assert.IsTrue(lease.Created);
        Assert.AreNotSame(session, lease.Session);
        Assert.AreEqual("The session's shell exited with code 3.", lease.ReplacedBecause);
        Assert.AreEqual("build", lease.Disposed.Single().Info.Id);
        var output = new CollectingObserver();
        Assert.AreEqual(0, (await lease.Session.RunAsync("true", output, Quick, CancellationToken.None)).ExitCode);
    }

    [TestMethod]
    public async Task PruningTakesExitedSessionsFirstThenTheLeastRecentlyUsedAndSparesTheMostRecent()
    {
        using var dir = new TempDirectory();
        await using var manager = new ExecSessionManager(maxSessions: 4, protectedRecent: 2);
        var a = await StartAsync(manager, "a", dir.Path);
        var b = await StartAsync(manager, "b", dir.Path);
        await StartAsync(manager, "c", dir.Path);
        await StartAsync(manager, "d", dir.Path);
        await b.RunAsync("exit 0", new CollectingObserver(), Quick, CancellationToken.None);
        manager.Touch("a"); // a is now among the two most recent: protected

        CollectionAssert.AreEqual(new[] { "b", "c" }, manager.PruneOrder().ToArray(), "exited first, then least recently used; a and d are protected");

        var e = await manager.GetOrStartAsync("e", Options(dir.Path), CancellationToken.None);
        Assert.AreEqual("b", e.Disposed.Single().Info.Id);
        Assert.AreEqual("pruned (shell exited)", e.Disposed.Single().Reason);

        var f = await manager.GetOrStartAsync("f", Options(dir.Path), CancellationToken.None);
        Assert.AreEqual("c", f.Disposed.Single().Info.Id);
        Assert.AreEqual("pruned (least recently used)", f.Disposed.Single().Reason);
        CollectionAssert.AreEquivalent(new[] { "a", "d", "e", "f" }, manager.List().Select(s => s.Id).ToArray());
        Assert.IsTrue(a.IsAlive);
    }

    [TestMethod]
    public async Task ARunningSessionIsNeverPrunedAndAFullManagerSaysSo()
    {
        using var dir = new TempDirectory();
        await using var manager = new ExecSessionManager(maxSessions: 1, protectedRecent: 0);
        var busy = await StartAsync(manager, "busy", dir.Path);
        var output = new CollectingObserver();
        var running = busy.RunAsync("sleep 2", output, Quick, CancellationToken.None);
        await Task.Delay(200);

        var error = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => manager.GetOrStartAsync("other", Options(dir.Path), CancellationToken.None));

        Assert.AreEqual(OrchestratorErrorCode.TerminalUnavailable, error.Code);
        StringAssert.Contains(error.Message, "1 sessions exist and none can be pruned");
        Assert.AreEqual(0, (await running).ExitCode);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("has space")]
    [DataRow("../escape")]
    public async Task AnInvalidIdIsRefused(string id)
    {
        using var dir = new TempDirectory();
        await using var manager = new ExecSessionManager();

        var error = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => manager.GetOrStartAsync(id, Options(dir.Path), CancellationToken.None));

        StringAssert.Contains(error.Message, "Invalid session id");
        Assert.AreEqual(0, manager.Count);
    }

    [TestMethod]
    public async Task DisposingTheManagerEndsEveryShell()
    {
        using var dir = new TempDirectory();
        var manager = new ExecSessionManager();
        var one = await StartAsync(manager, "one", dir.Path);
        var two = await StartAsync(manager, "two", dir.Path);

        await manager.DisposeAsync();

        Assert.AreEqual("disposed", one.Status);
        Assert.AreEqual("disposed", two.Status);
        Assert.IsFalse(Directory.Exists($"/proc/{one.ShellPid}"));
        Assert.AreEqual(0, manager.Count);
    }
}
