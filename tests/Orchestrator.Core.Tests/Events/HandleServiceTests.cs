using Orchestrator.Core.Events.Handles;
using Orchestrator.Core.Tests.Events.Handles;
using static Orchestrator.Core.Tests.Events.Handles.HandleTestSupport;

namespace Orchestrator.Core.Tests.Events;

[TestClass]
public sealed class HandleServiceTests
{
    [TestMethod]
    public void OpenHandlesAreFoundAndListedInOpeningOrder()
    {
        var service = new HandleService();
        var exec = service.Open("001-build.sh", HandleKinds.Exec);
        var session = service.Open("session-1", HandleKinds.Session);
        exec.Append("stdout", Bytes("a"));
        exec.Append("stderr", Bytes("b"));
        exec.Complete("succeeded");

        Assert.IsTrue(service.TryGet("session-1", out var found));
        Assert.AreSame(session, found);
        Assert.IsFalse(service.TryGet("nope", out _));
        CollectionAssert.AreEqual(
            new[]
            {
                new HandleInfo("001-build.sh", "exec", "succeeded", 2, 2, 0, 0),
                new HandleInfo("session-1", "session", "open", 0, 0, 0, 0),
            },
            service.List().ToArray());
    }

    [TestMethod]
    public void AnOpenIdCannotBeOpenedTwiceButAnEndedOneIsTakenOver()
    {
        var service = new HandleService();
        var first = service.Open("s", HandleKinds.Session);
        Assert.ThrowsExactly<InvalidOperationException>(() => service.Open("s", HandleKinds.Session));

        first.Append("pty", Bytes("old"));
        first.Complete("exited");
        var second = service.Open("s", HandleKinds.Session);

        Assert.AreEqual(1, service.Count);
        Assert.IsTrue(service.TryGet("s", out var found));
        Assert.AreSame(second, found);
        Assert.AreEqual(0, first.Snapshot().Frames.Count, "the replaced handle's frames are released");
    }

    [TestMethod]
    public void EndedHandlesArePrunedLeastRecentlyEndedFirst()
    {
        var service = new HandleService(new HandleOptions { MaxHandles = 3 });
        var a = service.Open("a", HandleKinds.Exec);
        var b = service.Open("b", HandleKinds.Exec);
        service.Open("c", HandleKinds.Exec);
        b.Append("stdout", Bytes("b output"));
        b.Complete("failed");
        a.Complete("succeeded");

        service.Open("d", HandleKinds.Exec);
        CollectionAssert.AreEqual(new[] { "a", "c", "d" }, service.List().Select(h => h.HandleId).ToArray());
        Assert.AreEqual(0, b.Snapshot().Frames.Count, "a pruned handle releases its frames");

        service.Open("e", HandleKinds.Exec);
        CollectionAssert.AreEqual(new[] { "c", "d", "e" }, service.List().Select(h => h.HandleId).ToArray());
    }

    [TestMethod]
    public void DisposedHandlesArePrunedLikeCompletedOnes()
    {
        var service = new HandleService(new HandleOptions { MaxHandles = 2 });
        var a = service.Open("a", HandleKinds.Session);
        var b = service.Open("b", HandleKinds.Exec);
        b.Complete("succeeded");
        a.Dispose();

        service.Open("c", HandleKinds.Exec);

        CollectionAssert.AreEqual(new[] { "a", "c" }, service.List().Select(h => h.HandleId).ToArray());
        Assert.AreEqual(HandleStatuses.Disposed, service.List()[0].Status);
    }

    [TestMethod]
    public void OpeningBeyondTheLimitWhileAllAreOpenIsRefused()
    {
        var service = new HandleService(new HandleOptions { MaxHandles = 2 });
        service.Open("a", HandleKinds.Exec);
        service.Open("b", HandleKinds.Exec);

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => service.Open("c", HandleKinds.Exec));
        StringAssert.Contains(error.Message, "All 2 handles are open");
        Assert.AreEqual(2, service.Count);
    }

    [TestMethod]
    public void TheNumberOfHandlesStaysBoundedWhateverRuns()
    {
        var service = new HandleService(new HandleOptions { MaxHandles = 16, RingCapacity = 8 });
        for (int i = 0; i < 1000; i++)
        {
            var handle = service.Open($"exec-{i}", HandleKinds.Exec);
            for (int f = 0; f < 20; f++)
            {
                handle.Append("stdout", Bytes($"{i}:{f}"));
            }

            handle.Complete(i % 2 == 0 ? "succeeded" : "failed");
        }

        Assert.AreEqual(16, service.Count);
        Assert.AreEqual(16 * 8, service.RetainedDecisionCount);
        CollectionAssert.AreEqual(
            Enumerable.Range(984, 16).Select(i => $"exec-{i}").ToArray(),
            service.List().Select(h => h.HandleId).ToArray());
    }

    [TestMethod]
    public void GuardDecisionsArePrunedWithTheirFramesAndTheirHandles()
    {
        var guard = new MarkerGuard();
        var service = new HandleService(new HandleOptions { RingCapacity = 20, MaxHandles = 2, Guard = guard });
        var handle = service.Open("a", HandleKinds.Exec);
        for (int i = 0; i < 1000; i++)
        {
            handle.Append("stdout", Bytes(i % 3 == 0 ? $"secret {i}" : i % 3 == 1 ? $"block {i}" : $"line {i}"));
        }

        Assert.AreEqual(1000, guard.Calls);
        Assert.AreEqual(20, handle.RetainedDecisionCount);
        Assert.AreEqual(20L, service.RetainedDecisionCount);
        var snapshot = handle.Snapshot();
        Assert.IsTrue(snapshot.Frames.All(f => f.Sequence > 980), "no decision survives its frame");

        handle.Complete("succeeded");
        service.Open("b", HandleKinds.Exec);
        service.Open("c", HandleKinds.Exec); // prunes "a"

        Assert.AreEqual(0, handle.RetainedDecisionCount);
        Assert.AreEqual(0L, service.RetainedDecisionCount);
    }

    [TestMethod]
    public void InvalidOptionsAreRefused()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new HandleService(new HandleOptions { RingCapacity = 0 }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new HandleService(new HandleOptions { SubscriberQueueCapacity = 0 }));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new HandleService(new HandleOptions { MaxHandles = 0 }));
    }
}
