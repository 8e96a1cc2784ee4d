using System.Globalization;
using Orchestrator.Bench;

// Benchmarks behind the figures quoted in issues and notes; see eng/bench/README.md.
string command = args.Length > 0 ? args[0] : "help";
int Option(string name, int fallback)
{
    int at = Array.IndexOf(args, "--" + name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

return command switch
{
    "msbuild-overhead" => MSBuildOverheadBenchmark.Run(Option("runs", 10), Option("commands", 100)),
    "streaming" => StreamingBenchmark.Run(Option("runs", 3), Option("megabytes", 1024)),
    "stream-child" => StreamingBenchmark.Child(args[1], args[2]),
    "sandbox-cost" => SandboxCostBenchmark.Run(Option("runs", 5), Option("commands", 100)),
    "approval-cache" => ApprovalCacheBenchmark.Run(Option("runs", 7), Option("lookups", 200_000)),
    "replay" => ReplayBenchmark.Run(Option("runs", 7)),
    "task-state-store" => TaskStateStoreBenchmark.Run(Option("runs", 9)),
    "pty-throughput" => PtyThroughputBenchmark.Run(Option("runs", 5), Option("megabytes", 100)),
    "session-reuse" => SessionReuseBenchmark.Run(Option("runs", 5), Option("commands", 100)),
    "cli-startup" => CliStartupBenchmark.Run(Option("runs", 10), CliPublish.Option(args, "cli")),
    "cli-jsonl" => CliJsonlBenchmark.Run(Option("runs", 3), Option("megabytes", 100), CliPublish.Option(args, "cli")),
    "telemetry-overhead" => TelemetryOverheadBenchmark.Run(Option("runs", 15), Option("commands", 100), Option("warmups", 40), args.Contains("--aa")),
    "telemetry-hanging" => TelemetryHangingBenchmark.Run(Option("runs", 5)),
    "diagnostics" => DiagnosticsBenchmark.Run(Option("runs", 5)),
    "guardrails" => GuardrailsBenchmark.Run(Option("runs", 7), Option("commands", 10)),
    "schema-validation" => SchemaValidationBenchmark.Run(Option("runs", 9), Option("lines", 10_000)),
    _ => Help(),
};

static int Help()
{
    Console.WriteLine("""
        usage: dotnet run -c Release --project eng/bench/Orchestrator.Bench -- <benchmark> [options]
          msbuild-overhead [--runs 10] [--commands 100]   100 x OrchestratorExec vs 100 x Exec in one build (wall ratio)
          streaming [--runs 3] [--megabytes 1024]          1 GB through the runtime vs cat to a file (throughput, RSS, events size)
          sandbox-cost [--runs 5] [--commands 100]         100 x true in one run, workspace-write vs danger-full-access (extra ms/command)
          approval-cache [--runs 7] [--lookups 200000]     approval lookups with 10 vs 100,000 cache entries (ratio)
          replay [--runs 7]                                replay of 100 frames from a handle after 10^3 vs 10^6 frames (ratio, heap)
          task-state-store [--runs 9]                      task-state appends at 1,000 vs 100,000 entries (ratio)
          pty-throughput [--runs 5] [--megabytes 100]      100 MB through a PTY session (and a PTY exec) vs script -qfec (ratio)
          session-reuse [--runs 5] [--commands 100]        100 x echo x in one session vs 100 fresh PTY spawns (speedup)
          cli-startup [--runs 10] [--cli path]              orchestrator exec -- true (published ReadyToRun) vs sh -c true and dotnet msbuild one Exec (median ms)
          cli-jsonl [--runs 3] [--megabytes 100] [--cli path]  exec --jsonl of 100 MB piped to wc -c vs cat | wc -c (throughput ratio)
          telemetry-overhead [--runs 15] [--commands 100] [--warmups 40] [--aa]  100 x true in one run, telemetry to a local OTLP endpoint vs off (median of per-round wall ratios; --aa: off vs off, the noise floor)
          telemetry-hanging [--runs 5]                     a run with an endpoint that never answers vs telemetry off (added ms/run)
          diagnostics [--runs 5]                           dotnet msbuild -t:OrchestratorDiagnostics wall time (vs an empty build)
          guardrails [--runs 7] [--commands 10]            -t:OrchestratorGuardrails of 10 commands vs 10 x Exec in one build (wall ratio)
          schema-validation [--runs 9] [--lines 10000]     events.jsonl lines: parse + validate (exec-event schema) vs parse only (µs/line, ratio)
        """);
    return 2;
}
