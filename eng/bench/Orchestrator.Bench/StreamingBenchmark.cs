using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Orchestrator.Core;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Runs;

namespace Orchestrator.Bench;

/// <summary>
/// A command writing N MB to stdout through the runtime (raw log + events.jsonl + head/tail capture)
/// against `cat` copying the same bytes to a file, in the same run. Each runtime measurement runs in
/// a fresh child process so its peak RSS (VmHWM) can be compared at 10 MB and at N MB.
/// </summary>
public static class StreamingBenchmark
{
    public static int Run(int runs, int megabytes)
    {
        string work = Directory.CreateTempSubdirectory("orch-bench-stream-").FullName;
        try
        {
            string big = Path.Combine(work, "big.txt");
            string small = Path.Combine(work, "small.txt");
            Generate(big, (long)megabytes << 20);
            Generate(small, 10L << 20);
            long size = new FileInfo(big).Length;
            Console.WriteLine($"source: {size / (1 << 20)} MiB of text lines in {work}");

            var cat = new List<double>();
            var pipe = new List<double>();
            var ours = new List<double>();
            var child = new List<ChildResult>();
            // Warm the page cache and the runtime once before measuring.
            Cat(big, work);
            RunChild(small, work);
            for (int run = 0; run < runs; run++)
            {
                cat.Add(size / Cat(big, work) / (1 << 20));
                pipe.Add(size / Cat(big, work, throughPipe: true) / (1 << 20));
                var result = RunChild(big, work);
                child.Add(result);
                ours.Add(size / result.ElapsedSeconds / (1 << 20));
                Console.WriteLine(Invariant($"  run {run + 1}: cat {cat[^1]:0} MiB/s, cat | cat {pipe[^1]:0} MiB/s, runtime {ours[^1]:0} MiB/s"));
            }

            var smallResults = Enumerable.Range(0, runs).Select(_ => RunChild(small, work)).ToList();
            Console.WriteLine();
            double catMedian = Stats.Median(cat);
            double oursMedian = Stats.Median(ours);
            double rssBig = Stats.Median(child.Select(c => c.PeakRssMiB).ToList());
            double rssSmall = Stats.Median(smallResults.Select(c => c.PeakRssMiB).ToList());
            Console.WriteLine($"cat > file                 {Stats.Describe(cat, "MiB/s")}");
            Console.WriteLine($"cat | cat > file (a pipe)  {Stats.Describe(pipe, "MiB/s")}");
            Console.WriteLine($"runtime (cat through us)   {Stats.Describe(ours, "MiB/s")}");
            Console.WriteLine(Invariant($"peak RSS: {rssSmall:0.0} MiB at 10 MiB, {rssBig:0.0} MiB at {megabytes} MiB (ratio {rssBig / rssSmall:0.000})"));
            Console.WriteLine(Invariant($"events.jsonl: {child[0].EventsBytes / 1024.0:0.0} KiB; raw log: {child[0].RawBytes} bytes (source {size}); manifest: {child[0].ManifestBytes / 1024.0:0.0} KiB"));
            double ratio = oursMedian / catMedian;
            bool pass = ratio >= 0.5 && rssBig <= 100 && Math.Abs(rssBig / rssSmall - 1) <= 0.10 && child.All(c => c.EventsBytes <= 2 << 20 && c.RawBytes == size);
            Console.WriteLine(Invariant($"RESULT streaming: throughput ratio runtime/cat = {ratio:0.000} (floor 0.5, goal 0.8); peak RSS {rssBig:0.0} MiB (<= 100, flat within 10%); events.jsonl <= 2 MiB -> {(pass ? "PASS" : "MISS")}"));
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The measured side, in its own process: one exec of `cat source` through the runtime.</summary>
    public static int Child(string source, string work)
    {
        string runsRoot = Path.Combine(work, "runs-" + Environment.ProcessId);
        var options = new RunOptions { RunsRoot = runsRoot, TaskId = "bench", WorkingDirectory = work, HeartbeatInterval = TimeSpan.Zero };
        var request = new ExecRequest { Command = CommandSpec.FromArgv("cat", source) };

        // One small exec first, so the figure is the streaming path and not the JIT's first pass
        // over it (start-up cost is measured by the CLI start-up benchmark instead).
        new OrchestratorClient().ExecAsync(new ExecRequest { Command = CommandSpec.FromArgv("true") }, options).GetAwaiter().GetResult();
        var watch = Stopwatch.StartNew();
        var result = new OrchestratorClient().ExecAsync(request, options).GetAwaiter().GetResult();
        watch.Stop();
        var measured = new ChildResult(
            watch.Elapsed.TotalSeconds,
            PeakRssMiB(),
            new FileInfo(result.EventsPath).Length,
            new FileInfo(result.Commands[0].StdoutLogPath!).Length,
            new FileInfo(result.ManifestPath).Length,
            result.Status.ToString());
        Directory.Delete(runsRoot, recursive: true);
        Console.WriteLine(JsonSerializer.Serialize(measured, BenchJsonContext.Default.ChildResult));
        return result.Succeeded ? 0 : 1;
    }

    private static ChildResult RunChild(string source, string work)
    {
        Settle();
        // The apphost beside the DLL, so `dotnet run` and `dotnet Orchestrator.Bench.dll` both find it.
        string self = Path.Combine(AppContext.BaseDirectory, "Orchestrator.Bench");
        var (exit, output, _) = Shell.Run(self, ["stream-child", source, work]);
        string line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        if (exit != 0)
        {
            throw new InvalidOperationException("stream-child failed: " + output);
        }

        return JsonSerializer.Deserialize(line, BenchJsonContext.Default.ChildResult)!;
    }

    /// <summary>
    /// The baseline: cat copying the file to a file (it uses copy_file_range, an in-kernel copy). With
    /// <paramref name="throughPipe"/> the bytes cross a pipe first, as every command's output must:
    /// the ceiling for anything that reads a command's stdout.
    /// </summary>
    private static double Cat(string source, string work, bool throughPipe = false)
    {
        Settle();
        string target = Path.Combine(work, "cat-copy.txt");
        string script = throughPipe ? "cat \"$0\" | cat > \"$1\"" : "cat \"$0\" > \"$1\"";
        var (exit, output, elapsed) = Shell.Run("/bin/sh", ["-c", script, source, target]);
        if (exit != 0)
        {
            throw new InvalidOperationException("cat failed: " + output);
        }

        File.Delete(target);
        return elapsed.TotalSeconds;
    }

    /// <summary>Writes back what the previous measurement left dirty and warms guest memory (see <see cref="GuestMemory"/>).</summary>
    private static void Settle() => GuestMemory.Settle();

    private static void Generate(string path, long bytes)
    {
        var block = new StringBuilder();
        for (int i = 0; block.Length < 1 << 20; i++)
        {
            block.Append(CultureInfo.InvariantCulture, $"{i:D8} build step output: compiling module {i % 97} of the project, warnings 0, errors 0\n");
        }

        byte[] data = Encoding.UTF8.GetBytes(block.ToString());
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        long written = 0;
        while (written < bytes)
        {
            int take = (int)Math.Min(data.Length, bytes - written);
            file.Write(data, 0, take);
            written += take;
        }
    }

    private static double PeakRssMiB()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
            }
        }

        return double.NaN;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

public sealed record ChildResult(double ElapsedSeconds, double PeakRssMiB, long EventsBytes, long RawBytes, long ManifestBytes, string Status);
