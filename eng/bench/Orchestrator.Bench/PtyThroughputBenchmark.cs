using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Orchestrator.Core;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Commands.Sessions;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Runs;

namespace Orchestrator.Bench;

/// <summary>
/// N MB of text lines through a PTY: one command in a session of ours (output recorded to a raw
/// log file), the same command as a one-off PTY exec through the orchestrator (raw log,
/// events.jsonl, manifest), and util-linux `script -qfec` (which copies a PTY's output to its
/// stdout, here a file in the same directory), interleaved in the same run, medians.
/// </summary>
public static class PtyThroughputBenchmark
{
    private const string Script = "/usr/bin/script";
    private const string Bash = "/bin/bash";

    // 99 characters and a newline: whole lines, so the terminal's \n -> \r\n adds exactly one byte per line.
    private const int LineLength = 100;

    public static int Run(int runs, int megabytes)
    {
        if (!File.Exists(Script) || !File.Exists(Bash))
        {
            Console.WriteLine($"pty-throughput needs util-linux `script` at {Script} and bash at {Bash} (apt-get install util-linux bash).");
            return 2;
        }

        long produced = megabytes * 1_000_000L;
        long expected = produced + produced / LineLength; // ONLCR: every \n reaches us as \r\n
        string work = Directory.CreateTempSubdirectory("orch-bench-pty-").FullName;
        try
        {
            using var cancel = new CancellationTokenSource();
            var options = new SessionStartOptions(work, ImmutableDictionary<string, string?>.Empty, TerminalSize.Default, null) { Shell = Bash };
            var session = ExecSession.StartAsync("bench", options, cancel.Token).GetAwaiter().GetResult();
            try
            {
                // Warm the JIT, the session and the page cache on every path before measuring.
                string warm = Producer(1_000_000);
                ScriptRun(warm, work);
                SessionRun(session, warm, work);
                ExecRun(warm, work);

                string command = Producer(produced);
                Console.WriteLine(Invariant($"command: {command}  ({produced:N0} bytes produced, {expected:N0} through the terminal)"));
                var script = new List<double>();
                var ours = new List<double>();
                var exec = new List<double>();
                var received = new Dictionary<string, HashSet<long>> { ["script"] = [], ["session"] = [], ["exec"] = [] };
                for (int run = 0; run < runs; run++)
                {
                    // Rotate which side goes first, so drift on the machine hits all three alike.
                    for (int slot = 0; slot < 3; slot++)
                    {
                        GuestMemory.Settle();
                        switch ((run + slot) % 3)
                        {
                            case 0:
                                var (seconds, bytes) = ScriptRun(command, work);
                                script.Add(produced / 1e6 / seconds);
                                received["script"].Add(bytes);
                                break;
                            case 1:
                                (seconds, bytes) = SessionRun(session, command, work);
                                ours.Add(produced / 1e6 / seconds);
                                received["session"].Add(bytes);
                                break;
                            default:
                                (seconds, bytes) = ExecRun(command, work);
                                exec.Add(produced / 1e6 / seconds);
                                received["exec"].Add(bytes);
                                break;
                        }
                    }

                    Console.WriteLine(Invariant($"  run {run + 1}: script {script[^1]:0.0} MB/s, session {ours[^1]:0.0} MB/s ({ours[^1] / script[^1]:0.000}), exec {exec[^1]:0.0} MB/s ({exec[^1] / script[^1]:0.000})"));
                }

                Console.WriteLine();
                Console.WriteLine($"script -qfec > file          {Stats.Describe(script, "MB/s")}");
                Console.WriteLine($"session (RunAsync > file)    {Stats.Describe(ours, "MB/s")}");
                Console.WriteLine($"exec (UsePty, full run)      {Stats.Describe(exec, "MB/s")}");
                bool complete = received.Values.All(set => set.All(b => b == expected));
                string counts = string.Join("; ", received.Select(p => p.Key + " " + string.Join(", ", p.Value.Order())));
                Console.WriteLine(Invariant($"bytes received: {counts} (expected {expected}) -> {(complete ? "all complete" : "MISMATCH")}"));
                double sessionRatio = Stats.Median(ours) / Stats.Median(script);
                double execRatio = Stats.Median(exec) / Stats.Median(script);
                bool pass = complete && sessionRatio >= 0.8;
                Console.WriteLine(Invariant(
                    $"RESULT pty-throughput: {megabytes} MB through a PTY, session/script = {sessionRatio:0.000} (goal >= 0.8); exec/script = {execRatio:0.000} -> {(pass ? "PASS" : complete ? "MISS" : "FAIL")}"));
                return complete ? 0 : 1;
            }
            finally
            {
                session.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Text lines of <see cref="LineLength"/> bytes, <paramref name="bytes"/> in all.</summary>
    private static string Producer(long bytes) =>
        Invariant($"yes {new string('a', LineLength - 1)} | head -c {bytes}");

    /// <summary>
    /// The baseline. `exec` keeps an extra sh out of the process tree; stdin is /dev/null so
    /// script has nothing to forward; its own log (the typescript) goes to /dev/null, its copy of
    /// the output to a file, as ours goes to a raw log. .NET ignores SIGPIPE and an ignored signal
    /// survives exec, so `env --default-signal=PIPE` gives script's children the default our
    /// spawner gives ours (else `yes` reports "Broken pipe" on the terminal: 35 bytes more).
    /// </summary>
    private static (double Seconds, long Bytes) ScriptRun(string command, string work)
    {
        string target = Path.Combine(work, "script.out");
        var (exit, output, elapsed) = Shell.Run("/bin/sh",
            ["-c", "exec env --default-signal=PIPE \"$0\" -qfec \"$1\" /dev/null < /dev/null > \"$2\"", Script, command, target],
            environment: new Dictionary<string, string> { ["SHELL"] = Bash });
        if (exit != 0)
        {
            throw new InvalidOperationException($"script failed with {exit}: {output}");
        }

        long bytes = new FileInfo(target).Length;
        File.Delete(target);
        return (elapsed.TotalSeconds, bytes);
    }

    private static (double Seconds, long Bytes) SessionRun(ExecSession session, string command, string work)
    {
        string target = Path.Combine(work, "session.out");
        var watch = Stopwatch.StartNew();
        SessionCommandOutcome outcome;
        long bytes;
        using (var observer = CountingObserver.ToFile(target))
        {
            outcome = session.RunAsync(command, observer, ProcessLimits.Default, CancellationToken.None).GetAwaiter().GetResult();
            bytes = observer.Bytes;
        }

        watch.Stop();
        if (outcome.ExitCode != 0 || outcome.RecordingError is not null)
        {
            throw new InvalidOperationException($"the session command failed: exit {outcome.ExitCode}, {outcome.Error ?? outcome.RecordingError?.Message}");
        }

        File.Delete(target);
        return (watch.Elapsed.TotalSeconds, bytes);
    }

    /// <summary>The whole orchestrator path: a run directory, events.jsonl, the manifest and a raw log, one PTY exec.</summary>
    private static (double Seconds, long Bytes) ExecRun(string command, string work)
    {
        string runsRoot = Path.Combine(work, "runs");
        var request = new ExecRequest { Command = CommandSpec.FromShell(command, Bash), UsePty = true };
        var options = new RunOptions
        {
            RunsRoot = runsRoot,
            TaskId = "bench",
            WorkingDirectory = work,
            Sandbox = SandboxSettings.None,
            HeartbeatInterval = TimeSpan.Zero,
        };
        var watch = Stopwatch.StartNew();
        var result = new OrchestratorClient().ExecAsync(request, options).GetAwaiter().GetResult();
        watch.Stop();
        if (!result.Succeeded || result.Commands[0].StdoutLogPath is not string log)
        {
            throw new InvalidOperationException($"the PTY exec failed: {result.Status} {result.StatusDetail}");
        }

        long bytes = new FileInfo(log).Length;
        Directory.Delete(runsRoot, recursive: true);
        return (watch.Elapsed.TotalSeconds, bytes);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
