using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Orchestrator.Core.Commands.Sessions;
using Orchestrator.Core.Exec;

namespace Orchestrator.Bench;

/// <summary>
/// N × `echo x` in one reused session against N fresh PTY spawns of `bash -c 'echo x'` (a terminal
/// opened, a shell started on it, its output read to the end, for each command), interleaved
/// rounds, medians. The session's own start is left out of the reused figure and shown apart:
/// it is paid once, however many commands follow.
/// </summary>
public static class SessionReuseBenchmark
{
    private const string Bash = "/bin/bash";
    private const string Command = "echo x";
    private const int ExpectedBytes = 3; // "x\r\n": the terminal turns \n into \r\n

    public static int Run(int rounds, int commands)
    {
        string work = Directory.CreateTempSubdirectory("orch-bench-session-").FullName;
        try
        {
            var options = new SessionStartOptions(work, ImmutableDictionary<string, string?>.Empty, TerminalSize.Default, null) { Shell = Bash };
            var launch = new ProcessLaunch(Bash, ["bash", "--noprofile", "--norc", "-c", Command], work,
                EnvironmentBuilder.ToEntries(EnvironmentBuilder.Compose(null)));

            // Warm the JIT and the thread pool on both paths before measuring.
            Reused(options, 5);
            Fresh(launch, 5);
            var reused = new List<double>();
            var fresh = new List<double>();
            var starts = new List<double>();
            for (int round = 0; round < rounds; round++)
            {
                // Alternate which side goes first, so drift on the machine hits both alike.
                for (int slot = 0; slot < 2; slot++)
                {
                    GuestMemory.Settle(1L << 30);
                    if ((round + slot) % 2 == 0)
                    {
                        var (start, total) = Reused(options, commands);
                        starts.Add(start);
                        reused.Add(total);
                    }
                    else
                    {
                        fresh.Add(Fresh(launch, commands));
                    }
                }

                Console.WriteLine(Invariant($"  round {round + 1}: reused {reused[^1]:0} ms (start {starts[^1]:0} ms), fresh {fresh[^1]:0} ms ({fresh[^1] / reused[^1]:0.00}x)"));
            }

            Console.WriteLine();
            Console.WriteLine($"{commands} x '{Command}' in one session   {Stats.Describe(reused, "ms")}");
            Console.WriteLine($"{commands} x fresh PTY + bash -c     {Stats.Describe(fresh, "ms")}");
            Console.WriteLine($"session start (not in the above)  {Stats.Describe(starts, "ms")}");
            double reusedMedian = Stats.Median(reused);
            double freshMedian = Stats.Median(fresh);
            double speedup = freshMedian / reusedMedian;
            Console.WriteLine(Invariant($"per command: reused {reusedMedian / commands:0.00} ms, fresh {freshMedian / commands:0.00} ms"));
            Console.WriteLine(Invariant(
                $"RESULT session-reuse: {commands} commands, fresh/reused = {speedup:0.00}x (goal >= 2); session start {Stats.Median(starts):0} ms apart -> {(speedup >= 2 ? "PASS" : "MISS")}"));
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Starts a session (timed apart), runs the commands in it, ends it (not timed); milliseconds.</summary>
    private static (double Start, double Total) Reused(SessionStartOptions options, int commands)
    {
        var watch = Stopwatch.StartNew();
        var session = ExecSession.StartAsync("bench", options, CancellationToken.None).GetAwaiter().GetResult();
        double start = watch.Elapsed.TotalMilliseconds;
        try
        {
            watch.Restart();
            for (int i = 0; i < commands; i++)
            {
                var observer = new CountingObserver();
                var outcome = session.RunAsync(Command, observer, ProcessLimits.Default, CancellationToken.None).GetAwaiter().GetResult();
                Check(outcome.ExitCode, observer.Bytes, outcome.Error);
            }

            return (start, watch.Elapsed.TotalMilliseconds);
        }
        finally
        {
            session.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Each command on a terminal of its own, as a one-off PTY exec does it; milliseconds.</summary>
    private static double Fresh(ProcessLaunch launch, int commands)
    {
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < commands; i++)
        {
            using var terminal = PseudoTerminal.Open(TerminalSize.Default);
            var observer = new CountingObserver();
            var outcome = ProcessRunner.RunInTerminalAsync(launch, terminal, observer, ProcessLimits.Default, null, CancellationToken.None).GetAwaiter().GetResult();
            Check(outcome.ExitCode, observer.Bytes, outcome.StartError?.Message);
        }

        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>Every command must have run and printed its line in full, or the times mean nothing.</summary>
    private static void Check(int? exitCode, long bytes, string? error)
    {
        if (exitCode != 0 || bytes != ExpectedBytes)
        {
            throw new InvalidOperationException($"'{Command}' did not run as expected: exit {exitCode}, {bytes} bytes of output (expected {ExpectedBytes}) {error}".TrimEnd());
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
