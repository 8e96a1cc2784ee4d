using System.Diagnostics;
using System.Globalization;
using Orchestrator.Core;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Runs;

namespace Orchestrator.Bench;

/// <summary>
/// One run of 100 × `true` with telemetry to a local OTLP/HTTP endpoint (spans, metrics, the final
/// flush included) against the same run with telemetry off, interleaved rounds: the wall overhead of
/// telemetry. No sandbox on either side, so the figure is not diluted by bubblewrap. The verdict is
/// on the median of the rounds' own on/off ratios: the two runs of a round are seconds apart, so a
/// machine that slows down for a while slows both, where medians taken over each side apart let a
/// slow spell on one side decide the figure.
/// </summary>
public static class TelemetryOverheadBenchmark
{
    /// <param name="sameSides">Telemetry off on both sides (an A/A run): what the benchmark reads when there is no difference, its noise floor.</param>
    public static int Run(int rounds, int commands, int warmups, bool sameSides)
    {
        string work = Directory.CreateTempSubdirectory("orch-bench-otel-").FullName;
        using var endpoint = new LocalOtlpEndpoint(hang: false);
        try
        {
            var requests = Enumerable.Range(0, commands).Select(_ => new ExecRequest { Command = CommandSpec.FromArgv("true") }).ToList();
            RunOptions Options(string? otel) => new()
            {
                RunsRoot = Path.Combine(work, "runs"),
                TaskId = "bench",
                WorkingDirectory = work,
                Sandbox = SandboxSettings.None,
                HeartbeatInterval = TimeSpan.Zero,
                OtelEndpoint = otel ?? "off",
            };

            var client = new OrchestratorClient();
            // The first run with telemetry in a process pays for compiling the OpenTelemetry SDK (shown
            // apart); full warm-up runs of each side let tiered compilation settle (code a run calls
            // once needs about 30 calls to leave tier 0), so the figures compare steady states (see README).
            var cold = Stopwatch.StartNew();
            Measure(client, requests.Take(5).ToList(), Options(endpoint.Url));
            cold.Stop();
            for (int warm = 0; warm < warmups; warm++)
            {
                Measure(client, requests, Options(endpoint.Url));
                Measure(client, requests, Options(null));
            }

            var on = new List<double>();
            var off = new List<double>();
            var onCpu = new List<double>();
            var offCpu = new List<double>();
            var paired = new List<double>();
            var onJit = new List<double>();
            var offJit = new List<double>();
            TelemetryOutcome? last = null;
            for (int round = 0; round < rounds; round++)
            {
                // ABBA order: whichever side runs first after settling pays for it, so neither always does.
                foreach (bool telemetryOn in round % 2 == 0 ? new[] { true, false } : [false, true])
                {
                    GuestMemory.Settle(1L << 30);
                    var (ms, cpu, outcome) = Measure(client, requests, Options(telemetryOn && !sameSides ? endpoint.Url : null));
                    (telemetryOn ? on : off).Add(ms);
                    (telemetryOn ? onCpu : offCpu).Add(cpu);
                    (telemetryOn ? onJit : offJit).Add(outcome.Jitted);
                    last = telemetryOn ? outcome : last;
                }

                paired.Add(on[^1] / off[^1]);
                Console.Write('.');
            }

            Console.WriteLine();
            if (sameSides)
            {
                Console.WriteLine("A/A: telemetry off on both sides; the figures below are the benchmark's noise floor");
            }

            Console.WriteLine($"telemetry on  {Stats.Describe(on, "ms/run")}");
            Console.WriteLine($"telemetry off {Stats.Describe(off, "ms/run")}");
            Console.WriteLine($"CPU of this process (children excluded): on {Stats.Describe(onCpu, "ms/run")}; off {Stats.Describe(offCpu, "ms/run")}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"last run with telemetry: {last?.Spans} spans and {last?.Points} metric points accepted, {last?.Failures} failures; endpoint got {endpoint.Requests} requests, {endpoint.Bytes} bytes in all; first (cold) 5-command run with telemetry {cold.Elapsed.TotalMilliseconds:0} ms"));
            Console.WriteLine($"methods JIT-compiled per measured run (0 = steady state): on {Stats.Describe(onJit, "")}; off {Stats.Describe(offJit, "")}");
            Console.WriteLine($"on/off per round {Stats.Describe(paired, "")}");
            double ofMedians = Stats.Median(on) / Stats.Median(off);
            double ratio = Stats.Median(paired);
            double overhead = (ratio - 1) * 100;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT telemetry-overhead: {commands} commands, on/off wall ratio {ratio:0.000} ({overhead:+0.0;-0.0} %), median of {rounds} rounds (ratio of the medians {ofMedians:0.000}) (goal <= 5 %) -> {(overhead <= 5 ? "PASS" : "FAIL")}"));
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static (double Ms, double CpuMs, TelemetryOutcome Outcome) Measure(OrchestratorClient client, List<ExecRequest> requests, RunOptions options)
    {
        using var self = Process.GetCurrentProcess();
        long jitted = System.Runtime.JitInfo.GetCompiledMethodCount();
        TimeSpan cpu = self.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var result = client.RunAsync(requests, options).GetAwaiter().GetResult();
        watch.Stop();
        self.Refresh();
        double cpuMs = (self.TotalProcessorTime - cpu).TotalMilliseconds;
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("the benchmark run failed: " + result.StatusDetail);
        }

        var telemetry = result.Manifest?.Telemetry;
        return (watch.Elapsed.TotalMilliseconds, cpuMs, new TelemetryOutcome(telemetry?.SpansExported ?? 0, telemetry?.MetricsExported ?? 0, telemetry?.Failures.Count ?? 0,
            System.Runtime.JitInfo.GetCompiledMethodCount() - jitted));
    }

    /// <param name="Jitted">Methods the JIT compiled (or recompiled at a higher tier) during the run: near zero once the process is warm.</param>
    private sealed record TelemetryOutcome(long Spans, long Points, int Failures, long Jitted);
}
