using System.Diagnostics;
using System.Globalization;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Runs.State;

namespace Orchestrator.Bench;

/// <summary>
/// TaskStateStore appends (through the public Append: lock, end-of-file check, numbering, one
/// write) once the file holds 1,000 entries against once it holds 100,000: the ratio of the
/// per-append medians. Both files are prefilled in the store's own line format and cut back to
/// their prefilled length before each round, so every round appends at the same size; the two
/// sizes alternate within a round so drift on the machine hits both alike.
/// </summary>
public static class TaskStateStoreBenchmark
{
    private const int AppendsPerRound = 200;

    public static int Run(int runs)
    {
        string work = Directory.CreateTempSubdirectory("orch-bench-task-state-").FullName;
        try
        {
            string stateRoot = Path.Combine(work, "out");
            var (small, smallLength) = Build(stateRoot, "runs-1000", 1_000);
            var (large, largeLength) = Build(stateRoot, "runs-100000", 100_000);

            // Warm-up: JIT, page cache, lock files.
            Measure(small, smallLength, 50);
            Measure(large, largeLength, 50);

            var smallTimes = new List<double>();
            var largeTimes = new List<double>();
            long smallBytes = 0, largeBytes = 0;
            for (int round = 0; round < runs; round++)
            {
                long before = small.BytesReadForAppends;
                smallTimes.Add(Measure(small, smallLength, AppendsPerRound));
                smallBytes = (small.BytesReadForAppends - before) / AppendsPerRound;
                before = large.BytesReadForAppends;
                largeTimes.Add(Measure(large, largeLength, AppendsPerRound));
                largeBytes = (large.BytesReadForAppends - before) / AppendsPerRound;
            }

            // Query costs, for the spec's table: Latest() reads from the end, RunsByStatus the whole file.
            var latestTimes = new List<double>();
            var byStatusTimes = new List<double>();
            int failed = 0;
            for (int i = 0; i < 3; i++)
            {
                long start = Stopwatch.GetTimestamp();
                _ = large.Latest();
                latestTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                start = Stopwatch.GetTimestamp();
                failed = large.RunsByStatus(RunStatus.Failed).Count;
                byStatusTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            Console.WriteLine($"append at 1,000 entries    {Stats.Describe(smallTimes, "µs")}, {smallBytes} bytes read per append");
            Console.WriteLine($"append at 100,000 entries  {Stats.Describe(largeTimes, "µs")}, {largeBytes} bytes read per append ({largeLength / (1 << 20)} MiB file)");
            Console.WriteLine($"queries at 100,000 entries: Latest() {Stats.Describe(latestTimes, "ms")}; RunsByStatus(failed) {Stats.Describe(byStatusTimes, "ms")} ({failed:N0} runs; reads the whole file)");
            double ratio = Stats.Median(largeTimes) / Stats.Median(smallTimes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT task-state-store: append time ratio 100,000/1,000 entries = {ratio:0.000} (goal <= 1.5) -> {(ratio <= 1.5 ? "PASS" : "MISS")}"));
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The median time of one append, in µs, starting from the prefilled length.</summary>
    private static double Measure(TaskStateStore store, long prefilledLength, int appends)
    {
        using (var file = new FileStream(store.FilePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            file.SetLength(prefilledLength);
        }

        var times = new double[appends];
        DateTimeOffset now = DateTimeOffset.UtcNow;
        for (int i = 0; i < appends; i++)
        {
            var entry = Entry(now, i, RunStatus.Succeeded);
            long start = Stopwatch.GetTimestamp();
            store.Append(entry);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        return Stats.Median(times);
    }

    private static (TaskStateStore Store, long Length) Build(string stateRoot, string taskId, int entries)
    {
        string directory = Path.Combine(stateRoot, taskId);
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, TaskStateStore.FileName);
        DateTimeOffset start = DateTimeOffset.UtcNow.AddDays(-1);
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            // Two lines per run (started, then finished), as a task's history has.
            for (int i = 0; i < entries; i++)
            {
                var entry = Entry(start.AddSeconds(i / 2), i / 2, i % 2 == 0 ? RunStatus.InProgress : (i % 10 == 9 ? RunStatus.Failed : RunStatus.Succeeded));
                file.Write(TaskStateStore.EncodeLine(entry with { Seq = i + 1 }));
            }
        }

        return (TaskStateStore.Open(stateRoot, taskId), new FileInfo(path).Length);
    }

    private static TaskStateEntry Entry(DateTimeOffset time, int run, RunStatus status)
    {
        string runId = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH-mm-ss-fff'Z'", CultureInfo.InvariantCulture) + "-" + run.ToString("x8", CultureInfo.InvariantCulture);
        return new TaskStateEntry
        {
            RunId = runId,
            Status = status,
            Timestamp = time,
            Runner = RunnerKind.MSBuild,
            PipelineId = "bench",
            ManifestPath = $"../../.runs/bench/cli/{runId}/manifest.json",
            ExitCode = status == RunStatus.InProgress ? null : status == RunStatus.Failed ? 1 : 0,
        };
    }
}
