using System.Diagnostics;
using System.Globalization;
using Orchestrator.Core;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Runs;

namespace Orchestrator.Bench;

/// <summary>
/// 100 × `true` through the orchestrator in one run with workspace-write (every command in its own
/// bubblewrap sandbox) against the same with danger-full-access (no sandbox), interleaved rounds,
/// medians: the extra cost per command of the sandbox. Beside it, the floor that cost cannot go
/// under: bare bwrap spawns of `true` with the same isolation, and with only the mount and network
/// namespaces the sandbox used before it had user and PID namespaces, against spawning `true`.
/// </summary>
public static class SandboxCostBenchmark
{
    public static int Run(int rounds, int commands)
    {
        var availability = BubblewrapProbe.Probe(null, Environment.GetEnvironmentVariable);
        if (!availability.IsAvailable)
        {
            Console.WriteLine("bubblewrap is not available: " + availability.Detail);
            return 1;
        }

        string work = Directory.CreateTempSubdirectory("orch-bench-sandbox-").FullName;
        try
        {
            var requests = Enumerable.Range(0, commands).Select(_ => new ExecRequest { Command = CommandSpec.FromArgv("true") }).ToList();
            RunOptions Options(SandboxMode mode, SandboxLimits? limits = null) => new()
            {
                RunsRoot = Path.Combine(work, "runs"),
                TaskId = "bench",
                WorkingDirectory = work,
                Sandbox = SandboxSettings.Default with { Mode = mode, Limits = limits },
                HeartbeatInterval = TimeSpan.Zero,
            };

            var client = new OrchestratorClient();
            client.RunAsync(requests.Take(5).ToList(), Options(SandboxMode.WorkspaceWrite)).GetAwaiter().GetResult();
            client.RunAsync(requests.Take(5).ToList(), Options(SandboxMode.DangerFullAccess)).GetAwaiter().GetResult();
            var sandboxed = new List<double>();
            var unlimited = new List<double>();
            var direct = new List<double>();
            for (int round = 0; round < rounds; round++)
            {
                GuestMemory.Settle(1L << 30);
                sandboxed.Add(Measure(client, requests, Options(SandboxMode.WorkspaceWrite)) / commands);
                GuestMemory.Settle(1L << 30);
                unlimited.Add(Measure(client, requests, Options(SandboxMode.WorkspaceWrite, SandboxLimits.None)) / commands);
                GuestMemory.Settle(1L << 30);
                direct.Add(Measure(client, requests, Options(SandboxMode.DangerFullAccess)) / commands);
                Console.Write('.');
            }

            Console.WriteLine();
            Console.WriteLine($"workspace-write (bwrap)  {Stats.Describe(sandboxed, "ms/command")}  limits: {SandboxLimiter.Describe(SandboxLimits.Default)}");
            Console.WriteLine($"  without limits         {Stats.Describe(unlimited, "ms/command")}");
            Console.WriteLine($"danger-full-access       {Stats.Describe(direct, "ms/command")}");
            double extra = Stats.Median(sandboxed) - Stats.Median(direct);

            // The floor, spawned the same way on both sides so the spawn itself cancels out.
            string bwrap = availability.BubblewrapPath!;
            string[] isolated = [.. BubblewrapCommand.Arguments(bwrap, SandboxSettings.Default, work, work, []).Skip(1), "/bin/true"];
            string[] mountOnly = ["--ro-bind", "/", "/", "--dev", "/dev", "--tmpfs", "/tmp", "--unshare-net", "--die-with-parent", "--", "/bin/true"];
            var bare = new List<double>();
            var bareOld = new List<double>();
            var plain = new List<double>();
            for (int round = 0; round < rounds; round++)
            {
                bare.Add(Spawns(bwrap, isolated, commands));
                bareOld.Add(Spawns(bwrap, mountOnly, commands));
                plain.Add(Spawns("/bin/true", [], commands));
            }

            Console.WriteLine($"bare bwrap, same flags   {Stats.Describe(bare, "ms/spawn")}");
            Console.WriteLine($"bare bwrap, mount+net    {Stats.Describe(bareOld, "ms/spawn")}");
            Console.WriteLine($"/bin/true                {Stats.Describe(plain, "ms/spawn")}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"floor: bwrap with user+PID namespaces costs {Stats.Median(bare) - Stats.Median(plain):0.00} ms over spawning true ({Stats.Median(bareOld) - Stats.Median(plain):0.00} ms with only mount and network namespaces)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT sandbox-cost: extra {extra:0.00} ms per command with the sandbox ({availability.Version}) (goal <= 5) -> {(extra <= 5 ? "PASS" : "MISS")}"));
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Milliseconds per spawn-and-wait of <paramref name="program"/>.</summary>
    private static double Spawns(string program, string[] args, int count)
    {
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            using var process = Process.Start(new ProcessStartInfo(program, args) { UseShellExecute = false })!;
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} exited {process.ExitCode}");
            }
        }

        return watch.Elapsed.TotalMilliseconds / count;
    }

    private static double Measure(OrchestratorClient client, List<ExecRequest> requests, RunOptions options)
    {
        var watch = Stopwatch.StartNew();
        var result = client.RunAsync(requests, options).GetAwaiter().GetResult();
        watch.Stop();
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("the benchmark run failed: " + result.StatusDetail);
        }

        return watch.Elapsed.TotalMilliseconds;
    }
}
