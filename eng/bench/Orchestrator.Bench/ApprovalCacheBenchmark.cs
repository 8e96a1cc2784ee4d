using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Json;
using Orchestrator.Core.Orchestration.Approvals;

namespace Orchestrator.Bench;

/// <summary>
/// Approval cache lookups (a present key, through the public Find, including its check that the
/// file has not changed) with 10 entries against 100,000 entries: the ratio of the per-lookup
/// medians. The files are written in the cache's own format; loading them is reported apart.
/// </summary>
public static class ApprovalCacheBenchmark
{
    public static int Run(int rounds, int lookups)
    {
        string work = Directory.CreateTempSubdirectory("orch-bench-approvals-").FullName;
        try
        {
            var (small, smallSubject) = Build(work, 10);
            var (large, largeSubject) = Build(work, 100_000);
            var now = DateTimeOffset.UtcNow;

            var load = Stopwatch.StartNew();
            var smallCache = ApprovalCache.Open(small);
            _ = smallCache.Find(smallSubject, now);
            double smallLoad = load.Elapsed.TotalMilliseconds;
            load.Restart();
            var largeCache = ApprovalCache.Open(large);
            _ = largeCache.Find(largeSubject, now);
            double largeLoad = load.Elapsed.TotalMilliseconds;

            var smallTimes = new List<double>();
            var largeTimes = new List<double>();
            for (int round = 0; round < rounds; round++)
            {
                smallTimes.Add(Measure(smallCache, smallSubject, now, lookups));
                largeTimes.Add(Measure(largeCache, largeSubject, now, lookups));
            }

            Console.WriteLine($"first load: {smallLoad:0.0} ms for 10 entries, {largeLoad:0.0} ms for 100,000 (once per process, then only appended lines are read)");
            Console.WriteLine($"lookup, 10 entries       {Stats.Describe(smallTimes, "µs")}");
            Console.WriteLine($"lookup, 100,000 entries  {Stats.Describe(largeTimes, "µs")}");
            double ratio = Stats.Median(largeTimes) / Stats.Median(smallTimes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT approval-cache: lookup cost ratio 100,000/10 entries = {ratio:0.000} (goal <= 2) -> {(ratio <= 2 ? "PASS" : "MISS")}"));
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static double Measure(ApprovalCache cache, ApprovalSubject subject, DateTimeOffset now, int lookups)
    {
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < lookups; i++)
        {
            if (cache.Find(subject, now) is null)
            {
                throw new InvalidOperationException("the benchmark key was not found");
            }
        }

        return watch.Elapsed.TotalMicroseconds / lookups;
    }

    private static (string Path, ApprovalSubject Probe) Build(string work, int entries)
    {
        string path = Path.Combine(work, $"approvals-{entries}.jsonl");
        var builder = new StringBuilder();
        ApprovalSubject? probe = null;
        for (int i = 0; i < entries; i++)
        {
            var subject = new ApprovalSubject(ApprovalAction.Escalate, ["make", $"target-{i}"], "/work/repo", "bench", "run");
            probe = i == entries / 2 ? subject : probe;
            var entry = new ApprovalCacheEntry
            {
                Key = subject.Key,
                Action = subject.Action,
                Command = subject.Command,
                WorkingTree = subject.WorkingTree,
                Scope = ApprovalScope.Persistent,
                TaskId = "bench",
                RunId = "run",
                Actor = "bench",
                GrantedAt = DateTimeOffset.UtcNow,
            };
            builder.Append(JsonSerializer.Serialize(entry, ApprovalJsonContext.Default.ApprovalCacheEntry)).Append('\n');
        }

        File.WriteAllText(path, builder.ToString());
        return (path, probe!);
    }
}
