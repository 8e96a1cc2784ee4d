using System.Globalization;

namespace Orchestrator.Bench;

/// <summary>
/// `orchestrator exec --jsonl --event-budget 0 -- cat data | wc -c` (every byte of a 100 MB text
/// file as exec:chunk events on stdout, also recorded to events.jsonl and the raw log) against
/// `cat data | wc -c`, interleaved, a fresh process per run, medians. Throughput is the input's
/// size over the wall time; the JSONL side also reports how many bytes reached `wc`.
/// </summary>
public static class CliJsonlBenchmark
{
    public static int Run(int runs, int megabytes, string? cliPath)
    {
        string cli = CliPublish.Ensure(cliPath);
        string work = Directory.CreateTempSubdirectory("orch-bench-jsonl-").FullName;
        try
        {
            long size = megabytes * 1_000_000L;
            string data = Path.Combine(work, "data.txt");
            Shell.RunChecked("/bin/sh", ["-c", $"yes 'the quick brown fox jumps over the lazy dog 0123456789' | head -c {size} > '{data}'"]);
            string runsRoot = Path.Combine(work, "runs");
            string ours = $"'{cli}' exec --jsonl --event-budget 0 --runs-root '{runsRoot}' -- cat '{data}' | wc -c";
            string baseline = $"cat '{data}' | wc -c";
            Console.WriteLine($"target:   {ours}\nbaseline: {baseline}");

            Measure(baseline, work);
            Measure(ours, work);
            Directory.Delete(runsRoot, recursive: true);

            var catRates = new List<double>();
            var ourRates = new List<double>();
            long jsonlBytes = 0;
            for (int run = 0; run < runs; run++)
            {
                for (int slot = 0; slot < 2; slot++)
                {
                    GuestMemory.Settle();
                    if ((run + slot) % 2 == 0)
                    {
                        var (seconds, bytes) = Measure(baseline, work);
                        if (bytes != size)
                        {
                            throw new InvalidOperationException($"cat delivered {bytes} bytes, expected {size}");
                        }

                        catRates.Add(size / 1e6 / seconds);
                    }
                    else
                    {
                        var (seconds, bytes) = Measure(ours, work);
                        jsonlBytes = bytes;
                        ourRates.Add(size / 1e6 / seconds);
                        Directory.Delete(runsRoot, recursive: true);
                    }
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {run + 1}: cat {catRates[^1]:0.0} MB/s, exec --jsonl {ourRates[^1]:0.0} MB/s"));
            }

            Console.WriteLine();
            Console.WriteLine($"cat | wc -c                 {Stats.Describe(catRates, "MB/s")}");
            Console.WriteLine($"exec --jsonl | wc -c        {Stats.Describe(ourRates, "MB/s")}");
            double ratio = Stats.Median(ourRates) / Stats.Median(catRates);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT cli-jsonl: {megabytes} MB as JSONL ({jsonlBytes:N0} bytes to wc), exec --jsonl/cat throughput = {ratio:0.000} (no figure set by the issue; reported)"));
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static (double Seconds, long Bytes) Measure(string pipeline, string work)
    {
        var (exit, output, elapsed) = Shell.Run("/bin/sh", ["-c", pipeline], work);
        if (exit != 0)
        {
            throw new InvalidOperationException($"'{pipeline}' failed with {exit}:\n{output}");
        }

        return (elapsed.TotalSeconds, long.Parse(output.Trim(), CultureInfo.InvariantCulture));
    }
}
