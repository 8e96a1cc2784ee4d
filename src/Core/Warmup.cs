using System.Text.Json;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Json;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core;

/// <summary>
/// Prepares, on a background thread, what the first run of a process would otherwise pay for on
/// its critical path: reading the enums' wire names, loading the C and crypto libraries, the task
/// state's line reader, the process environment and its secrets, and first-use work in the JSON
/// writers for the manifest and the events. A door calls
/// <see cref="Start"/> as early as it can (an MSBuild build runs many short tasks in one process, so
/// this is most of the first OrchestratorExec's cost).
/// </summary>
public static class Warmup
{
    private static readonly Lazy<Task> Work = new(() => Task.Run(Run));

    /// <summary>Starts the warm-up once per process; later calls return the same task.</summary>
    public static Task Start() => Work.Value;

    private static void Run()
    {
        try
        {
            // The settings' wire names first: the first reflection of a process costs about 2.5 ms
            // (the other enums then take 0.1 ms each), and the run's thread reads them about 15 ms
            // after start, when it records where each setting came from.
            WireNames.Prepare<Configuration.SettingSource>();

            // The JSON writer and its encoder: a door's output sink creates its writer within a few
            // milliseconds of starting, before anything else below is needed.
            var scratch = new System.Buffers.ArrayBufferWriter<byte>(256);
            using (var first = new Utf8JsonWriter(scratch, JsonDefaults.EventWriterOptions))
            {
                first.WriteStringValue("<warm-up>");
            }

            // The manifest writer next: its first use (the generated handler, the type infos of the
            // timestamps, enums and nested lists it hands on) is the longest single piece, and the
            // run's thread needs it soon after reading its configuration, so it starts here rather
            // than after the enums.
            var now = DateTimeOffset.UtcNow;
            var capture = new StreamCapture("x", false, 1, 0, false);
            var stats = new EventStatsRecord(1, 1, 0, 0, 1);
            var manifest = new RunManifest
            {
                TaskId = "warmup",
                RunId = RunId.New(now),
                Runner = RunnerKind.Sdk,
                Status = RunStatus.InProgress,
                StartedAt = now,
                UpdatedAt = now,
                HeartbeatAt = now,
                ApprovalPolicy = ApprovalPolicy.OnFailure,
                SandboxMode = SandboxMode.WorkspaceWrite,
                Cwd = "/",
                RunnerProcess = new RunnerProcessInfo(1, "warmup"),
                Environment = EnvironmentInfo.Capture(),
                Commands =
                [
                    new CommandRecord
                    {
                        Index = 1, Id = "warmup", Title = "warmup", Command = "true", Shell = true, Cwd = "/",
                        Status = CommandStatus.Succeeded, Stdout = capture, Stderr = capture, Events = stats,
                        Logs = new CommandLogPaths(null, null), StartedAt = now, CompletedAt = now,
                    },
                ],
                ToolRuns = [new ToolRunRecord { Id = "tool-001", Tool = "exec", Command = "true", ApprovalSource = "not-required", RetryCount = 0, AttemptCount = 1, SandboxState = "sandboxed", Status = "succeeded", Attempts = [new ToolRunAttempt(1, "001-warmup", "sandboxed", "succeeded", 0, 1, null, null)] }],
                SettingSources = new Dictionary<string, string> { ["taskId"] = "default" },
            };
            ManifestSerializer.SerializeToUtf8Bytes(manifest);

            // After its first manifest a run appends to the task state: the C library our P/Invokes
            // name is found by probing on first use, and the file's last line is read back through
            // the JSON reader.
            _ = Native.LibC.getpgid(0);
            Runs.State.TaskStateStore.Prepare();

            // The command's environment and its secrets: both are kept per process (the same
            // environment and settings give the same instances back), so the run's own first
            // command finds them done when its settings hold no extra secrets.
            Security.SecretSettings.Default.For(EnvironmentBuilder.Compose(null));

            // The enums every run names, then the platform crypto: the run's thread may well have
            // read them itself by now (recording its settings, hashing AGENTS.md when there is one),
            // in which case they cost nothing here; a door that reaches them later (an SDK host)
            // finds them ready.
            WireNames.Prepare<RunnerKind>();
            WireNames.Prepare<ApprovalPolicy>();
            WireNames.Prepare<SandboxMode>();
            WireNames.Prepare<Telemetry.TelemetrySource>();
            WireNames.Prepare<Notifications.NotificationSource>();
            WireNames.Prepare<RunStatus>();
            WireNames.Prepare<SandboxState>();
            WireNames.Prepare<Orchestration.Approvals.ApprovalSource>();
            WireNames.Prepare<CommandStatus>();
            WireNames.Prepare<ToolRunStatus>();

            // OpenSSL loads on first use: the events hash at the end of every run.
            Span<byte> digest = stackalloc byte[32];
            System.Security.Cryptography.SHA256.HashData(ReadOnlySpan<byte>.Empty, digest);

            var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
            using var writer = new Utf8JsonWriter(buffer, JsonDefaults.EventWriterOptions);
            foreach (ExecEventPayload payload in Payloads(capture, stats))
            {
                writer.Reset(buffer);
                ExecEventSerializer.Write(writer, ExecEvent.Create("warmup", payload));
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // A warm-up is an optimisation only.
        }
    }

    private static IEnumerable<ExecEventPayload> Payloads(StreamCapture capture, EventStatsRecord stats)
    {
        var logs = new CommandLogPaths("a", "b");
        yield return new RunBeginPayload { TaskId = "t", Runner = "sdk", Cwd = "/", ManifestPath = "m", EventsPath = "e", ApprovalPolicy = "never", SandboxMode = "read-only" };
        yield return new ToolBeginPayload { ToolRunId = "tool-001", Tool = "exec", Command = "true", ApprovalPolicy = "never", SandboxMode = "read-only", NetworkAccess = false };
        yield return new ExecBeginPayload { ExecId = "001-x", Index = 1, Title = "x", Command = "x", Shell = true, Cwd = "/", Logs = logs };
        yield return new ExecChunkPayload { ExecId = "001-x", Seq = 1, Stream = "stdout", Bytes = 1, Text = "x" };
        yield return new ExecEndPayload { ExecId = "001-x", Index = 1, Status = "succeeded", DurationMs = 1, Stdout = capture, Stderr = capture, Events = stats };
        yield return new ToolEndPayload { ToolRunId = "tool-001", Status = "succeeded", SandboxState = "sandboxed", ApprovalSource = "not-required", AttemptCount = 1, RetryCount = 0 };
        yield return new RunSummaryPayload { TaskId = "t", Status = "succeeded", DurationMs = 1, Commands = new CommandCounts(1, 1, 0, 0, 0, 0), ManifestPath = "m" };
    }
}
