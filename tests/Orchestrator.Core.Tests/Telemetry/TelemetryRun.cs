using Orchestrator.Core.Commands;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Telemetry;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Telemetry;

/// <summary>Runs commands through the real OrchestratorClient with a RunTelemetry among the sinks, then completes it.</summary>
internal static class TelemetryRun
{
    public const string TaskId = "otel-test";

    public static TelemetrySettings Settings(string endpoint, Func<string, string?>? environment = null) =>
        TelemetrySettings.Resolve(endpoint, "sdk", environment ?? (_ => null), null);

    public static RunOptions Options(TempDirectory dir, params IExecEventSink[] sinks) => new()
    {
        RunsRoot = dir.Combine("runs"),
        TaskId = TaskId,
        WorkingDirectory = dir.Path,
        Sandbox = SandboxSettings.None,
        HeartbeatInterval = TimeSpan.Zero,
        Sinks = sinks,
    };

    public static ExecRequest Shell(string line, string? id = null) => new() { Command = CommandSpec.FromShell(line), Id = id };

    public static async Task<(RunResult Run, TelemetryRecord Record, TimeSpan CompleteTime)> RunAsync(
        RunTelemetry telemetry, TempDirectory dir, RunOptions? options, params ExecRequest[] commands)
    {
        var run = await new OrchestratorClient().RunAsync(commands, options ?? Options(dir, telemetry));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var record = await telemetry.CompleteAsync();
        return (run, record, watch.Elapsed);
    }
}
