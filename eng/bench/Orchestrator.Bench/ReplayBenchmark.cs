using System.Diagnostics;
using System.Globalization;
using System.Text;
using Orchestrator.Core.Events.Handles;

namespace Orchestrator.Bench;

/// <summary>
/// Replay from a handle: subscribing from <c>LatestSequence − 99</c> and reading those 100 frames,
/// after 10^3 and after 10^6 frames were produced (default ring of 500 frames), in the same process,
/// interleaved, medians of several runs. Alongside, the managed heap (GC.GetTotalMemory(true))
/// a handle adds after 10^3 and after 10^6 frames: replay must cost O(frames replayed) and the
/// ring must keep memory flat, whatever the handle produced before.
/// </summary>
public static class ReplayBenchmark
{
    private const int Small = 1_000;
    private const int Large = 1_000_000;
    private const int Tail = 100;
    private const int Replays = 20_000;

    public static int Run(int runs)
    {
        byte[] frame = Encoding.UTF8.GetBytes(new string('x', 180) + " build step output line\n");
        // Warm the JIT and the thread pool on both paths before measuring.
        using (var warm = Produce(Small, frame).Handle)
        {
            Measure(warm, Replays);
        }

        var smallTimes = new List<double>();
        var largeTimes = new List<double>();
        var smallMemory = new List<double>();
        var largeMemory = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            var (small, smallBytes) = Produce(Small, frame);
            var (large, largeBytes) = Produce(Large, frame);
            smallMemory.Add(smallBytes / 1024.0);
            largeMemory.Add(largeBytes / 1024.0);
            // Alternate which case goes first, so warming effects do not favour one side.
            if (run % 2 == 0)
            {
                smallTimes.Add(Measure(small, Replays));
                largeTimes.Add(Measure(large, Replays));
            }
            else
            {
                largeTimes.Add(Measure(large, Replays));
                smallTimes.Add(Measure(small, Replays));
            }

            small.Dispose();
            large.Dispose();
            Console.Write('.');
        }

        Console.WriteLine();
        Console.WriteLine($"ring {HandleOptions.DefaultRingCapacity} frames of {frame.Length} bytes; each measurement: {Replays} x (subscribe from latest-{Tail - 1}, read {Tail} frames, dispose)");
        Console.WriteLine($"replay after {Small,9:N0} frames   {Stats.Describe(smallTimes, "µs")}");
        Console.WriteLine($"replay after {Large,9:N0} frames   {Stats.Describe(largeTimes, "µs")}");
        Console.WriteLine($"heap added after {Small,9:N0} frames   {Stats.Describe(smallMemory, "KiB")}");
        Console.WriteLine($"heap added after {Large,9:N0} frames   {Stats.Describe(largeMemory, "KiB")}");
        double ratio = Stats.Median(largeTimes) / Stats.Median(smallTimes);
        double memoryRatio = Stats.Median(largeMemory) / Stats.Median(smallMemory);
        bool pass = ratio <= 1.5 && Math.Abs(memoryRatio - 1) <= 0.10;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT replay: cost ratio 10^6/10^3 frames = {ratio:0.000} (goal <= 1.5); heap after 10^6 vs 10^3 frames {Stats.Median(largeMemory):0.0} KiB vs {Stats.Median(smallMemory):0.0} KiB (ratio {memoryRatio:0.000}, flat within 10%) -> {(pass ? "PASS" : "MISS")}"));
        return 0;
    }

    /// <summary>One open handle that has produced <paramref name="frames"/> frames, and the heap it added.</summary>
    private static (OutputHandle Handle, long HeapBytes) Produce(int frames, byte[] frame)
    {
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var service = new HandleService();
        var handle = service.Open($"bench-{frames}", HandleKinds.Exec);
        for (int i = 0; i < frames; i++)
        {
            handle.Append("stdout", frame);
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(service);
        return (handle, after - before);
    }

    /// <summary>Microseconds per replay of the last <see cref="Tail"/> frames.</summary>
    private static double Measure(OutputHandle handle, int replays)
    {
        long from = handle.LatestSequence - (Tail - 1);
        long checksum = 0;
        var watch = Stopwatch.StartNew();
        for (int r = 0; r < replays; r++)
        {
            var subscription = handle.Subscribe(from);
            var frames = subscription.ReadAllAsync().GetAsyncEnumerator();
            for (int i = 0; i < Tail; i++)
            {
                // Replayed frames are ready: the enumerator completes synchronously.
                ValueTask<bool> next = frames.MoveNextAsync();
                if (!(next.IsCompletedSuccessfully ? next.Result : next.AsTask().GetAwaiter().GetResult()))
                {
                    throw new InvalidOperationException("the replay ended early");
                }

                checksum += frames.Current.Sequence;
            }

            frames.DisposeAsync().AsTask().GetAwaiter().GetResult();
            subscription.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        watch.Stop();
        long expected = (long)replays * Enumerable.Range(0, Tail).Sum(i => from + i);
        if (checksum != expected)
        {
            throw new InvalidOperationException("the replay did not deliver the last frames in order");
        }

        return watch.Elapsed.TotalMicroseconds / replays;
    }
}
