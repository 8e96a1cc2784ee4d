using Orchestrator.Core.Events.Handles;
using static Orchestrator.Core.Tests.Events.Handles.HandleTestSupport;

namespace Orchestrator.Core.Tests.Events.Handles;

[TestClass]
public sealed class OutputHandleTests
{
    private static OutputHandle Open(HandleOptions? options = null) =>
        new HandleService(options).Open("001-test", HandleKinds.Exec);

    [TestMethod]
    public void SequencesStartAtOneAndFramesOwnTheirBytes()
    {
        var handle = Open();
        byte[] buffer = Bytes("first");

        Assert.AreEqual(1, handle.Append("stdout", buffer));
        buffer[0] = (byte)'X'; // the producer reuses its read buffer
        Assert.AreEqual(2, handle.Append("stderr", Bytes("second")));
        Assert.AreEqual(3, handle.Append("stdout", []));

        var snapshot = handle.Snapshot();
        CollectionAssert.AreEqual(new long[] { 1, 2, 3 }, snapshot.Frames.Select(f => f.Sequence).ToArray());
        CollectionAssert.AreEqual(new[] { "stdout", "stderr", "stdout" }, snapshot.Frames.Select(f => f.Stream).ToArray());
        Assert.AreEqual("first", Text(snapshot.Frames[0]));
        Assert.AreEqual(1, snapshot.FirstSequence);
        Assert.AreEqual(3, snapshot.LatestSequence);
        Assert.AreEqual(3, snapshot.TotalProduced);
        Assert.AreEqual(0, snapshot.Dropped);
    }

    [TestMethod]
    public void AnEmptyHandleSnapshotsNothing()
    {
        var snapshot = Open().Snapshot();

        Assert.AreEqual(0, snapshot.Frames.Count);
        Assert.AreEqual(1, snapshot.FirstSequence);
        Assert.AreEqual(0, snapshot.LatestSequence);
        Assert.AreEqual(HandleStatuses.Open, snapshot.Status);
    }

    [TestMethod]
    public void TheRingKeepsTheLastFrames()
    {
        var handle = Open(new HandleOptions { RingCapacity = 10 });
        for (int i = 1; i <= 25; i++)
        {
            handle.Append("stdout", Bytes($"frame {i}"));
        }

        var snapshot = handle.Snapshot();
        CollectionAssert.AreEqual(Enumerable.Range(16, 10).Select(i => $"frame {i}").ToArray(), snapshot.Frames.Select(Text).ToArray());
        Assert.AreEqual(16, snapshot.FirstSequence);
        Assert.AreEqual(25, snapshot.LatestSequence);
        Assert.AreEqual(15, snapshot.Dropped);
        Assert.AreEqual(new HandleInfo("001-test", "exec", "open", 10, 25, 15, 0), handle.Info);
    }

    [TestMethod]
    public async Task ReplayFromASequenceEqualsTheFramesProducedFromItByteForByte()
    {
        var random = new Random(20261122);
        for (int round = 0; round < 200; round++)
        {
            int ring = random.Next(1, 40);
            int produced = random.Next(0, 120);
            var handle = Open(new HandleOptions { RingCapacity = ring });
            var expected = new List<(string Stream, byte[] Data)>();
            for (int i = 0; i < produced; i++)
            {
                byte[] data = new byte[random.Next(0, 64)];
                random.NextBytes(data);
                string stream = random.Next(2) == 0 ? "stdout" : "stderr";
                expected.Add((stream, data));
                handle.Append(stream, data);
            }

            long oldest = Math.Max(1, produced - ring + 1);
            long from = random.Next((int)oldest, produced + 2);
            await using var subscription = handle.Subscribe(from);
            handle.Complete("succeeded");
            var frames = await ReadToEndAsync(subscription);

            Assert.AreEqual(0, subscription.Missed);
            Assert.AreEqual(from, subscription.FirstSequence);
            Assert.AreEqual(produced - from + 1, frames.Count, $"round {round}");
            for (int i = 0; i < frames.Count; i++)
            {
                var (stream, data) = expected[(int)(from - 1) + i];
                Assert.AreEqual(from + i, frames[i].Sequence);
                Assert.AreEqual(stream, frames[i].Stream);
                CollectionAssert.AreEqual(data, frames[i].Data.ToArray(), $"round {round}, frame {from + i}");
            }
        }
    }

    [TestMethod]
    public async Task ReplayFromBeforeTheRingStartsAtTheOldestAndReportsTheGap()
    {
        var handle = Open(new HandleOptions { RingCapacity = 10 });
        for (int i = 1; i <= 25; i++)
        {
            handle.Append("stdout", Bytes($"frame {i}"));
        }

        await using var subscription = handle.Subscribe(3);
        handle.Complete("succeeded");
        var frames = await ReadToEndAsync(subscription);

        Assert.AreEqual(3, subscription.RequestedSequence);
        Assert.AreEqual(16, subscription.FirstSequence);
        Assert.AreEqual(13, subscription.Missed);
        CollectionAssert.AreEqual(Enumerable.Range(16, 10).Select(i => (long)i).ToArray(), frames.Select(f => f.Sequence).ToArray());
    }

    [TestMethod]
    public async Task ASubscriptionFromAFutureSequenceSkipsTheFramesBeforeIt()
    {
        var handle = Open();
        handle.Append("stdout", Bytes("1"));
        await using var subscription = handle.Subscribe(4);
        for (int i = 2; i <= 6; i++)
        {
            handle.Append("stdout", Bytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        handle.Complete("succeeded");
        var frames = await ReadToEndAsync(subscription);

        CollectionAssert.AreEqual(new[] { "4", "5", "6" }, frames.Select(Text).ToArray());
        Assert.AreEqual(0, subscription.Missed);
    }

    [TestMethod]
    public async Task LiveFramesContinueTheReplayWithoutDuplicatesOrHoles()
    {
        var handle = Open(new HandleOptions { RingCapacity = 20 });
        for (int i = 1; i <= 50; i++)
        {
            handle.Append("stdout", Bytes($"frame {i}"));
        }

        await using var subscription = handle.Subscribe(40);
        var reader = Task.Run(() => ReadToEndAsync(subscription, HangGuard()));
        for (int i = 51; i <= 300; i++)
        {
            handle.Append("stdout", Bytes($"frame {i}"));
        }

        handle.Complete("succeeded");
        var frames = await reader;

        CollectionAssert.AreEqual(Enumerable.Range(40, 261).Select(i => $"frame {i}").ToArray(), frames.Select(Text).ToArray());
        Assert.AreEqual(0, subscription.Dropped);
    }

    [TestMethod]
    public async Task SubscribingWhileTheProducerRunsNeverDuplicatesOrSkipsAFrame()
    {
        const int total = 20_000;
        var handle = Open(new HandleOptions { RingCapacity = 64, SubscriberQueueCapacity = total });
        var subscriptions = new List<HandleSubscription>();
        var readers = new List<Task<List<HandleFrame>>>();
        var producer = new Thread(() =>
        {
            for (int i = 1; i <= total; i++)
            {
                handle.Append(i % 2 == 0 ? "stdout" : "stderr", BitConverter.GetBytes(i));
            }
        });
        producer.Start();
        for (int s = 0; s < 8; s++)
        {
            // From a recent sequence (replayed) or an old one (partly gone): either way contiguous afterwards.
            long latest = handle.LatestSequence;
            var subscription = handle.Subscribe(s % 2 == 0 ? Math.Max(1, latest - 10) : 1);
            subscriptions.Add(subscription);
            readers.Add(Task.Run(() => ReadToEndAsync(subscription, HangGuard())));
            Thread.Sleep(1);
        }

        producer.Join();
        handle.Complete("succeeded");
        foreach (var (subscription, reader) in subscriptions.Zip(readers))
        {
            var frames = await reader;
            long expected = subscription.FirstSequence;
            foreach (HandleFrame frame in frames)
            {
                Assert.AreEqual(expected, frame.Sequence);
                Assert.AreEqual((int)expected, BitConverter.ToInt32(frame.Data.Span));
                expected++;
            }

            Assert.AreEqual(total + 1, expected, "every frame up to the last");
            Assert.AreEqual(0, subscription.Dropped);
            await subscription.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task ASubscriberThatNeverReadsCostsABoundedQueueAndDelaysNobody()
    {
        const int total = 10_000;
        var handle = Open(new HandleOptions { RingCapacity = 50, SubscriberQueueCapacity = 100 });
        await using var stalled = handle.Subscribe();
        await using var reading = handle.Subscribe();
        await using var frames = reading.ReadAllAsync().GetAsyncEnumerator();
        long next = 1;
        for (int batch = 0; batch < total / 50; batch++)
        {
            for (int i = 0; i < 50; i++)
            {
                handle.Append("stdout", BitConverter.GetBytes(batch * 50 + i + 1));
            }

            // The reader keeps up batch by batch; the stalled one never reads at all.
            for (int i = 0; i < 50; i++)
            {
                Assert.IsTrue(await frames.MoveNextAsync());
                Assert.AreEqual(next++, frames.Current.Sequence);
            }

            Assert.IsTrue(stalled.QueuedCount <= 100);
        }

        Assert.AreEqual(total + 1, next);
        Assert.AreEqual(0, reading.Dropped);
        Assert.AreEqual(total - 100, stalled.Dropped);
        Assert.AreEqual(100, stalled.QueuedCount);
        Assert.AreEqual(total - 100, handle.Info.SubscriberDrops);
        Assert.AreEqual(50, handle.Info.FrameCount);

        handle.Complete("succeeded");
        var kept = await ReadToEndAsync(stalled);
        CollectionAssert.AreEqual(Enumerable.Range(total - 99, 100).Select(i => (long)i).ToArray(), kept.Select(f => f.Sequence).ToArray(),
            "a full queue drops its oldest frames and keeps the newest");
    }

    [TestMethod]
    public async Task ASlowSubscriberSeesAnOrderedStreamAndCountsWhatItMissed()
    {
        const int total = 5_000;
        var handle = Open(new HandleOptions { RingCapacity = 16, SubscriberQueueCapacity = 8 });
        await using var subscription = handle.Subscribe();
        var reader = Task.Run(async () =>
        {
            var seen = new List<long>();
            await foreach (HandleFrame frame in subscription.ReadAllAsync(HangGuard()))
            {
                seen.Add(frame.Sequence);
                if (seen.Count % 64 == 0)
                {
                    await Task.Yield();
                }
            }

            return seen;
        });
        var producer = new Thread(() =>
        {
            for (int i = 1; i <= total; i++)
            {
                handle.Append("stdout", BitConverter.GetBytes(i));
            }

            handle.Complete("succeeded");
        });
        producer.Start();
        producer.Join();
        var seen = await reader;

        CollectionAssert.AreEqual(seen.Order().ToArray(), seen.ToArray(), "in order");
        Assert.AreEqual(seen.Count, seen.Distinct().Count(), "no duplicates");
        Assert.AreEqual(total, seen.Count + subscription.Dropped, "what was not delivered was counted as dropped");
    }

    [TestMethod]
    public async Task TheGuardDecidesOncePerFrameAndSubscribersSeeItsDecision()
    {
        var guard = new MarkerGuard();
        var handle = Open(new HandleOptions { Guard = guard });

        Assert.AreEqual(1, handle.Append("stdout", Bytes("plain")));
        Assert.AreEqual(2, handle.Append("stdout", Bytes("my secret")));
        Assert.AreEqual(0, handle.Append("stderr", Bytes("block me")));
        Assert.AreEqual(3, handle.LatestSequence, "a blocked frame keeps its place in the sequence");
        Assert.AreEqual(0, handle.Append("stderr", Bytes("boom")), "a failing guard blocks");
        Assert.AreEqual(5, handle.Append("stdout", Bytes("after")));

        await using var first = handle.Subscribe();
        await using var second = handle.Subscribe(2);
        handle.Complete("succeeded");
        var frames = await ReadToEndAsync(first);
        var replayed = await ReadToEndAsync(second);

        Assert.AreEqual(5, guard.Calls, "replays reuse the stored decisions");
        CollectionAssert.AreEqual(
            new[] { GuardDecision.Allow, GuardDecision.Redact, GuardDecision.Block, GuardDecision.Block, GuardDecision.Allow },
            frames.Select(f => f.Decision).ToArray());
        CollectionAssert.AreEqual(new[] { "plain", "[redacted]", "", "", "after" }, frames.Select(Text).ToArray());
        CollectionAssert.AreEqual(frames.Skip(1).ToArray(), replayed.ToArray());
    }

    [TestMethod]
    public async Task CompletingEndsEverySubscriptionAfterWhatItWasGiven()
    {
        var handle = Open();
        await using var a = handle.Subscribe();
        await using var b = handle.Subscribe();
        var readA = Task.Run(() => ReadToEndAsync(a, HangGuard()));
        var readB = Task.Run(() => ReadToEndAsync(b, HangGuard()));
        handle.Append("stdout", Bytes("one"));
        handle.Append("stdout", Bytes("two"));
        handle.Complete("failed");
        handle.Complete("succeeded"); // only the first completion counts

        CollectionAssert.AreEqual(new[] { "one", "two" }, (await readA).Select(Text).ToArray());
        CollectionAssert.AreEqual(new[] { "one", "two" }, (await readB).Select(Text).ToArray());
        Assert.AreEqual("failed", handle.Info.Status);
        Assert.AreEqual(0, handle.SubscriberCount);
        Assert.ThrowsExactly<InvalidOperationException>(() => handle.Append("stdout", Bytes("late")));

        await using var late = handle.Subscribe();
        CollectionAssert.AreEqual(new[] { "one", "two" }, (await ReadToEndAsync(late)).Select(Text).ToArray());
    }

    [TestMethod]
    public async Task DisposingEndsSubscriptionsAndReleasesTheFrames()
    {
        var handle = Open();
        handle.Append("pty", Bytes("prompt$ "));
        await using var subscription = handle.Subscribe();
        handle.Dispose();

        CollectionAssert.AreEqual(new[] { "prompt$ " }, (await ReadToEndAsync(subscription)).Select(Text).ToArray());
        Assert.AreEqual(HandleStatuses.Disposed, handle.Info.Status);
        Assert.AreEqual(0, handle.Snapshot().Frames.Count);
        Assert.AreEqual(1, handle.Info.Dropped);
        Assert.ThrowsExactly<ObjectDisposedException>(() => handle.Subscribe());
        Assert.ThrowsExactly<ObjectDisposedException>(() => handle.Append("pty", Bytes("x")));
    }

    [TestMethod]
    public async Task ADisposedSubscriptionStopsReceivingAndIsForgotten()
    {
        var handle = Open();
        var subscription = handle.Subscribe();
        handle.Append("stdout", Bytes("seen"));
        Assert.AreEqual(1, handle.SubscriberCount);

        await subscription.DisposeAsync();
        handle.Append("stdout", Bytes("not seen"));

        Assert.AreEqual(0, handle.SubscriberCount);
        CollectionAssert.AreEqual(new[] { "seen" }, (await ReadToEndAsync(subscription)).Select(Text).ToArray());
    }

    [TestMethod]
    public async Task ASubscriptionIsReadOnce()
    {
        var handle = Open();
        await using var subscription = handle.Subscribe();
        handle.Complete("succeeded");
        await ReadToEndAsync(subscription);

        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => ReadToEndAsync(subscription));
    }

    [TestMethod]
    public async Task ReadingStopsWhenCancelled()
    {
        var handle = Open();
        await using var subscription = handle.Subscribe();
        using var cancel = new CancellationTokenSource();
        var reader = ReadToEndAsync(subscription, cancel.Token);
        handle.Append("stdout", Bytes("x"));
        cancel.Cancel();

        await Assert.ThrowsAsync<OperationCanceledException>(() => reader);
    }
}
