using System.Text;
using System.Text.Json;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests;

[TestClass]
public sealed class OrchestratorClientTests
{
    private static RunOptions Options(TempDirectory dir, string task = "client-tests") => new()
    {
        RunsRoot = dir.Combine(".runs"),
        TaskId = task,
        WorkingDirectory = dir.Path,
    };

    private static ExecRequest Shell(string line, TimeSpan? timeout = null) => new() { Command = CommandSpec.FromShell(line), Timeout = timeout };

    /// <summary>An SDK caller that sets TaskId = "" (an unset variable) gets an error, not a run recorded under 'default'.</summary>
    [TestMethod]
    public async Task AnExplicitlyEmptyTaskIdIsAnErrorAndRecordsNothing()
    {
        using var dir = new TempDirectory();

        var ex = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => new OrchestratorClient().ExecAsync(Shell("true"), Options(dir, task: "")));

        Assert.AreEqual(OrchestratorErrorCode.InvalidTaskId, ex.Code);
        StringAssert.Contains(ex.Message, "empty");
        Assert.IsFalse(Directory.Exists(dir.Combine(".runs", TaskId.Default)), "nothing is recorded under the default task");
    }

    [TestMethod]
    public async Task ASucceedingCommandLeavesAValidManifestEventsAndRawLogs()
    {
        using var dir = new TempDirectory();
        var result = await new OrchestratorClient().ExecAsync(Shell("echo out; echo err >&2"), Options(dir));

        Assert.AreEqual(RunStatus.Succeeded, result.Status);
        Assert.AreEqual(0, result.ExitCode);
        StringAssert.StartsWith(result.ManifestPath, dir.Combine(".runs", "client-tests", "cli") + "/");
        RunFiles.AssertValidRun(result.ManifestPath);

        var command = result.Commands.Single();
        Assert.AreEqual("out\n", await File.ReadAllTextAsync(command.StdoutLogPath!));
        Assert.AreEqual("err\n", await File.ReadAllTextAsync(command.StderrLogPath!));
        Assert.AreEqual("out\n", command.Stdout.Text);

        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        var root = manifest.RootElement;
        Assert.AreEqual("succeeded", root.GetProperty("status").GetString());
        Assert.AreEqual("sdk", root.GetProperty("runner").GetString());
        Assert.AreEqual("client-tests", root.GetProperty("taskId").GetString());
        var recorded = root.GetProperty("commands")[0];
        Assert.AreEqual("succeeded", recorded.GetProperty("status").GetString());
        Assert.AreEqual("commands/001-echo.stdout.log", recorded.GetProperty("logs").GetProperty("stdout").GetString());
    }

    [TestMethod]
    public async Task TheManifestOnDiskAtRunBeginAlreadyRecordsTelemetryAndNotifications()
    {
        using var dir = new TempDirectory();
        JsonDocument? atBegin = null;
        var options = Options(dir) with
        {
            Sinks = [new DelegateEventSink(e =>
            {
                if (e.Payload is RunBeginPayload begin)
                {
                    atBegin = RunFiles.ReadManifest(begin.ManifestPath);
                }
            })],
        };

        var result = await new OrchestratorClient().ExecAsync(Shell("true"), options);

        Assert.IsNotNull(atBegin, "run:begin was seen");
        using (atBegin)
        {
            var root = atBegin.RootElement;
            Assert.AreEqual("in_progress", root.GetProperty("status").GetString());
            Assert.IsFalse(root.GetProperty("telemetry").GetProperty("enabled").GetBoolean(), "the first version says telemetry is off");
            Assert.AreEqual(JsonValueKind.Object, root.GetProperty("notifications").ValueKind);
        }

        RunFiles.AssertValidRun(result.ManifestPath);
    }

    [TestMethod]
    public async Task AToolRunsEndIsOnDiskWithItsCommandAndFinishedHandleBeforeToolEnd()
    {
        using var dir = new TempDirectory();
        JsonDocument? atToolEnd = null;
        string? manifestPath = null;
        var options = Options(dir) with
        {
            Sandbox = new RunOptions().Sandbox with { Mode = global::Orchestrator.Core.Orchestration.SandboxMode.DangerFullAccess },
            Sinks = [new DelegateEventSink(e =>
            {
                if (e.Payload is RunBeginPayload begin)
                {
                    manifestPath = begin.ManifestPath;
                }
                else if (e.Payload is ToolEndPayload)
                {
                    atToolEnd = RunFiles.ReadManifest(manifestPath!);
                }
            })],
        };

        var result = await new OrchestratorClient().ExecAsync(Shell("echo hello"), options);

        Assert.IsNotNull(atToolEnd, "tool:end was seen");
        using (atToolEnd)
        {
            var root = atToolEnd.RootElement;
            Assert.AreEqual("succeeded", root.GetProperty("commands")[0].GetProperty("status").GetString());
            Assert.AreEqual("succeeded", root.GetProperty("toolRuns")[0].GetProperty("status").GetString());
            var handle = root.GetProperty("handles").EnumerateArray().Single(h => h.GetProperty("kind").GetString() == "exec");
            Assert.AreEqual($"{result.RunId}/{result.Commands[0].ExecId}", handle.GetProperty("handleId").GetString());
            Assert.AreEqual("succeeded", handle.GetProperty("status").GetString(), "the handle is recorded as the command left it");
            Assert.IsGreaterThan(0L, handle.GetProperty("frameCount").GetInt64());
        }
    }

    [TestMethod]
    public async Task AStreamThatWritesNothingHasNoRawLogFile()
    {
        using var dir = new TempDirectory();
        var quiet = await new OrchestratorClient().ExecAsync(Shell("true"), Options(dir));
        var errOnly = await new OrchestratorClient().ExecAsync(Shell("echo oops >&2"), Options(dir));

        Assert.IsNull(quiet.Commands[0].StdoutLogPath);
        Assert.IsNull(quiet.Commands[0].StderrLogPath);
        Assert.IsFalse(Directory.Exists(Path.Combine(quiet.RunDirectory, "commands")), "no output, no files");
        Assert.IsNull(errOnly.Commands[0].StdoutLogPath);
        Assert.AreEqual("oops\n", await File.ReadAllTextAsync(errOnly.Commands[0].StderrLogPath!));
        using var manifest = RunFiles.ReadManifest(errOnly.ManifestPath);
        var logs = manifest.RootElement.GetProperty("commands")[0].GetProperty("logs");
        Assert.AreEqual(JsonValueKind.Null, logs.GetProperty("stdout").ValueKind);
        Assert.AreEqual("commands/001-echo.stderr.log", logs.GetProperty("stderr").GetString());
        RunFiles.AssertValidRun(quiet.ManifestPath);
        RunFiles.AssertValidRun(errOnly.ManifestPath);
    }

    [TestMethod]
    public async Task EventsComeInLifecycleOrderWithPerCommandSequenceNumbers()
    {
        using var dir = new TempDirectory();
        var result = await new OrchestratorClient().ExecAsync(Shell("for i in 1 2 3; do echo $i; echo e$i >&2; sleep 0.05; done"), Options(dir));
        var events = RunFiles.ReadEvents(result.EventsPath);

        Assert.AreEqual(ExecEventTypes.RunBegin, events[0].Type);
        Assert.AreEqual(ExecEventTypes.ToolBegin, events[1].Type);
        Assert.AreEqual(ExecEventTypes.ExecBegin, events[2].Type);
        Assert.AreEqual(ExecEventTypes.ExecEnd, events[^3].Type);
        Assert.AreEqual(ExecEventTypes.ToolEnd, events[^2].Type);
        Assert.AreEqual(ExecEventTypes.RunSummary, events[^1].Type);
        var chunks = events.Select(e => e.Payload).OfType<ExecChunkPayload>().ToList();
        CollectionAssert.AreEqual(Enumerable.Range(1, chunks.Count).Select(i => (long)i).ToList(), chunks.Select(c => c.Seq).ToList());
        Assert.AreEqual("1\n2\n3\n", string.Concat(chunks.Where(c => c.Stream == "stdout").Select(c => c.Text)));
        Assert.AreEqual("e1\ne2\ne3\n", string.Concat(chunks.Where(c => c.Stream == "stderr").Select(c => c.Text)));
        Assert.IsTrue(events.All(e => e.RunId == result.RunId));
        var begin = (ExecBeginPayload)events[2].Payload;
        Assert.AreEqual("sandboxed", begin.Sandbox);
        Assert.AreEqual("tool-001", begin.ToolRunId);
        Assert.IsNotNull(begin.Pid);
    }

    [TestMethod]
    public async Task AFailingCommandFailsTheRunWithItsExitCode()
    {
        using var dir = new TempDirectory();
        var result = await new OrchestratorClient().ExecAsync(Shell("exit 42"), Options(dir));

        Assert.AreEqual(RunStatus.Failed, result.Status);
        Assert.AreEqual(42, result.ExitCode);
        StringAssert.Contains(result.StatusDetail, "exited with code 42");
        RunFiles.AssertValidRun(result.ManifestPath);
    }

    [TestMethod]
    public async Task AnUnknownProgramIsRecordedAsAFailedCommandWithAClearError()
    {
        using var dir = new TempDirectory();
        var result = await new OrchestratorClient().ExecAsync(new ExecRequest { Command = CommandSpec.FromArgv("no-such-program-orch") }, Options(dir));

        var command = result.Commands.Single();
        Assert.AreEqual(CommandStatus.Failed, command.Status);
        Assert.AreEqual(nameof(StartFailureKind.ProgramNotFound), command.Error!.Code);
        StringAssert.Contains(command.Error.Message, "no-such-program-orch");
        Assert.IsNull(command.ExitCode);
        RunFiles.AssertValidRun(result.ManifestPath);
        var types = RunFiles.ReadEvents(result.EventsPath).Select(e => e.Type).ToList();
        CollectionAssert.AreEqual(
            new[] { ExecEventTypes.RunBegin, ExecEventTypes.ToolBegin, ExecEventTypes.ExecBegin, ExecEventTypes.ExecEnd, ExecEventTypes.ToolEnd, ExecEventTypes.RunSummary },
            types);
    }

    [TestMethod]
    public async Task AMissingWorkingDirectoryIsRecordedAsAFailedCommand()
    {
        using var dir = new TempDirectory();
        var request = Shell("true") with { WorkingDirectory = dir.Combine("missing") };
        var result = await new OrchestratorClient().ExecAsync(request, Options(dir));

        Assert.AreEqual(nameof(StartFailureKind.WorkingDirectoryNotFound), result.Commands[0].Error!.Code);
        StringAssert.Contains(result.StatusDetail, dir.Combine("missing"));
        RunFiles.AssertValidRun(result.ManifestPath);
    }

    [TestMethod]
    public async Task TwoHundredMegabytesWithoutANewlineStayBoundedEverywhereButTheRawLog()
    {
        using var dir = new TempDirectory();
        const long size = 200_000_000;
        var result = await new OrchestratorClient().ExecAsync(Shell($"head -c {size} /dev/zero | tr '\\0' 'a'"), Options(dir));

        var command = result.Commands.Single();
        Assert.AreEqual(CommandStatus.Succeeded, command.Status);
        Assert.AreEqual(size, new FileInfo(command.StdoutLogPath!).Length, "the raw log must hold every byte");
        Assert.AreEqual(size, command.Stdout.TotalBytes);
        Assert.IsTrue(command.Stdout.Truncated);
        Assert.IsTrue(command.Stdout.Text.Length < 70 * 1024, $"capture is {command.Stdout.Text.Length} chars");
        Assert.AreEqual(OutputLimits.Default.EventBudgetBytes, command.Events.Bytes);
        Assert.AreEqual(size - OutputLimits.Default.EventBudgetBytes, command.Events.NotEmittedBytes);
        long eventsSize = new FileInfo(result.EventsPath).Length;
        Assert.IsTrue(eventsSize < 2 * 1024 * 1024, $"events.jsonl is {eventsSize} bytes");
        Assert.IsTrue(new FileInfo(result.ManifestPath).Length < 512 * 1024);
        RunFiles.AssertValidRun(result.ManifestPath);
    }

    [TestMethod]
    public async Task InvalidUtf8AndNulBytesTravelLosslesslyInEvents()
    {
        using var dir = new TempDirectory();
        var result = await new OrchestratorClient().ExecAsync(Shell("printf 'ok\\000nul \\377\\376 bad \\342\\202\\254 euro\\n'; printf '\\303' >&2"), Options(dir));

        byte[] raw = await File.ReadAllBytesAsync(result.Commands[0].StdoutLogPath!);
        byte[] expected = [.. "ok\0nul "u8, 0xFF, 0xFE, .. " bad "u8, 0xE2, 0x82, 0xAC, .. " euro\n"u8];
        CollectionAssert.AreEqual(expected, raw);

        var chunks = RunFiles.ReadEvents(result.EventsPath).Select(e => e.Payload).OfType<ExecChunkPayload>().ToList();
        byte[] fromEvents = [.. chunks.Where(c => c.Stream == "stdout").SelectMany(c => c.GetBytes())];
        CollectionAssert.AreEqual(expected, fromEvents);
        Assert.IsTrue(chunks.Any(c => c.Encoding == "base64"));
        byte[] stderrFromEvents = [.. chunks.Where(c => c.Stream == "stderr").SelectMany(c => c.GetBytes())];
        CollectionAssert.AreEqual(new byte[] { 0xC3 }, stderrFromEvents, "a lone lead byte at end of stream is still emitted");
        Assert.IsTrue(result.Commands[0].Stdout.InvalidUtf8);
        RunFiles.AssertValidRun(result.ManifestPath);
    }

    [TestMethod]
    public async Task ATimedOutCommandThatIgnoresSigtermIsKilledAndRecorded()
    {
        using var dir = new TempDirectory();
        // Unsandboxed: this is about the runtime's TERM-then-KILL of a tree that ignores TERM
        // (in the sandbox, bwrap itself dies on TERM and takes the tree with it).
        var options = Options(dir) with { KillGracePeriod = TimeSpan.FromMilliseconds(300), Sandbox = SandboxSettings.None };
        var result = await new OrchestratorClient().ExecAsync(Shell("trap '' TERM; echo started; sleep 300 & wait; wait", TimeSpan.FromMilliseconds(500)), options);

        var command = result.Commands.Single();
        Assert.AreEqual(CommandStatus.TimedOut, command.Status);
        Assert.AreEqual("SIGKILL", command.Signal);
        Assert.IsNotNull(command.Termination);
        Assert.AreEqual("timeout", command.Termination.Reason);
        CollectionAssert.AreEqual(new[] { "SIGTERM", "SIGKILL" }, command.Termination.Signals.ToList());
        Assert.AreEqual(RunStatus.Failed, result.Status);
        StringAssert.Contains(result.StatusDetail, "timed out");
        RunFiles.AssertValidRun(result.ManifestPath);
    }

    [TestMethod]
    public async Task CancellationMarksTheCommandAndTheRunCancelled()
    {
        using var dir = new TempDirectory();
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var options = Options(dir) with
        {
            Sinks = [new DelegateEventSink(e => { if (e.Payload is ExecChunkPayload) started.TrySetResult(); })],
        };
        var run = new OrchestratorClient().ExecAsync(Shell("echo go; sleep 300"), options, cts.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        cts.Cancel();
        var result = await run;

        Assert.AreEqual(RunStatus.Cancelled, result.Status);
        Assert.AreEqual(CommandStatus.Cancelled, result.Commands[0].Status);
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        Assert.AreEqual("cancelled", manifest.RootElement.GetProperty("status").GetString());
        RunFiles.AssertValidRun(result.ManifestPath);
    }

    [TestMethod]
    public async Task TheManifestShowsARunningCommandAndAFreshHeartbeatWhileItRuns()
    {
        using var dir = new TempDirectory();
        var options = Options(dir) with { HeartbeatInterval = TimeSpan.FromMilliseconds(100) };
        string? manifestPath = null;
        var begun = new TaskCompletionSource();
        options = options with
        {
            Sinks = [new DelegateEventSink(e =>
            {
                if (e.Payload is RunBeginPayload b) { manifestPath = b.ManifestPath; }
                if (e.Payload is ExecBeginPayload) { begun.TrySetResult(); }
            })],
        };

        var run = new OrchestratorClient().ExecAsync(Shell("sleep 1.5"), options);
        await begun.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(200);
        DateTimeOffset first = ReadHeartbeat(manifestPath!, out string status, out string commandStatus);
        await Task.Delay(500);
        DateTimeOffset second = ReadHeartbeat(manifestPath!, out _, out _);
        await run;

        Assert.AreEqual("in_progress", status);
        Assert.AreEqual("running", commandStatus);
        Assert.IsTrue(second > first, $"heartbeat did not advance: {first:O} then {second:O}");
    }

    [TestMethod]
    public async Task ReadersNeverSeeAPartialManifestWhileTheRunUpdatesIt()
    {
        using var dir = new TempDirectory();
        string? manifestPath = null;
        var begun = new TaskCompletionSource();
        var options = Options(dir) with
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(5),
            Sinks = [new DelegateEventSink(e => { if (e.Payload is RunBeginPayload b) { manifestPath = b.ManifestPath; begun.TrySetResult(); } })],
        };
        var run = new OrchestratorClient().RunAsync(Enumerable.Range(0, 20).Select(i => Shell($"echo step{i}; sleep 0.02")).ToList(), options);
        await begun.Task.WaitAsync(TimeSpan.FromSeconds(30));
        int reads = 0;
        while (!run.IsCompleted)
        {
            using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(manifestPath!));
            Assert.IsTrue(doc.RootElement.TryGetProperty("status", out _));
            reads++;
        }

        var result = await run;
        Assert.IsTrue(reads > 10, $"only {reads} reads happened during the run");
        Assert.IsNull(File.ResolveLinkTarget(result.ManifestPath, returnFinalTarget: false), "a finished run's manifest is a regular file");
        CollectionAssert.AreEquivalent(
            new[] { "manifest.json", "events.jsonl", "commands" },
            Directory.GetFileSystemEntries(result.RunDirectory).Select(Path.GetFileName).ToArray(),
            "no temporary or versioned manifest files may be left behind");
        RunFiles.AssertValidRun(result.ManifestPath);
    }

    [TestMethod]
    public async Task ConcurrentRunsOfOneTaskGetTheirOwnCompleteRecords()
    {
        using var dir = new TempDirectory();
        var client = new OrchestratorClient();
        var runs = Enumerable.Range(0, 8)
            .Select(i => Task.Run(() => client.ExecAsync(Shell($"for j in $(seq 1 50); do echo run{i}-line$j; done"), Options(dir, "shared"))))
            .ToList();
        var results = await Task.WhenAll(runs);

        Assert.AreEqual(8, results.Select(r => r.RunId).Distinct().Count());
        for (int i = 0; i < results.Length; i++)
        {
            RunFiles.AssertValidRun(results[i].ManifestPath);
            string text = await File.ReadAllTextAsync(results[i].Commands[0].StdoutLogPath!);
            Assert.AreEqual(string.Concat(Enumerable.Range(1, 50).Select(j => $"run{i}-line{j}\n")), text);
        }
    }

    [TestMethod]
    public async Task SecretLookingEnvironmentValuesAreNotRecorded()
    {
        using var dir = new TempDirectory();
        var request = Shell("true") with { Environment = Launches.Env(("API_TOKEN", "s3cr3t-value"), ("PLAIN", "visible"), ("REMOVED", null)) };
        var result = await new OrchestratorClient().ExecAsync(request, Options(dir));

        string manifest = await File.ReadAllTextAsync(result.ManifestPath);
        string events = await File.ReadAllTextAsync(result.EventsPath);
        Assert.IsFalse(manifest.Contains("s3cr3t-value", StringComparison.Ordinal));
        Assert.IsFalse(events.Contains("s3cr3t-value", StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(manifest);
        var env = doc.RootElement.GetProperty("commands")[0].GetProperty("env");
        Assert.AreEqual("***", env.GetProperty("API_TOKEN").GetString());
        Assert.AreEqual("visible", env.GetProperty("PLAIN").GetString());
        Assert.AreEqual(JsonValueKind.Null, env.GetProperty("REMOVED").ValueKind);
    }

    [TestMethod]
    public async Task ARunsRootThatCannotBeCreatedIsAClearError()
    {
        using var dir = new TempDirectory();
        string file = dir.Combine("a-file");
        await File.WriteAllTextAsync(file, "not a directory");
        var options = Options(dir) with { RunsRoot = Path.Combine(file, "runs") };

        var ex = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => new OrchestratorClient().ExecAsync(Shell("true"), options));

        Assert.AreEqual(OrchestratorErrorCode.RunsRootNotWritable, ex.Code);
        StringAssert.Contains(ex.Message, file);
    }

    [TestMethod]
    public async Task CommandsOfARunStopAtTheFirstFailureAndTheRestAreRecordedAsSkipped()
    {
        using var dir = new TempDirectory();
        var result = await new OrchestratorClient().RunAsync([Shell("echo one"), Shell("exit 3"), Shell("echo never")], Options(dir));

        Assert.AreEqual(2, result.Commands.Count);
        Assert.AreEqual(3, result.ExitCode);
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        var commands = manifest.RootElement.GetProperty("commands");
        Assert.AreEqual(3, commands.GetArrayLength());
        Assert.AreEqual("skipped", commands[2].GetProperty("status").GetString());
        Assert.AreEqual("not run: command 2 (exit) failed", commands[2].GetProperty("statusDetail").GetString());
        Assert.AreEqual(JsonValueKind.Null, commands[2].GetProperty("logs").ValueKind);
        var summary = (RunSummaryPayload)RunFiles.ReadEvents(result.EventsPath)[^1].Payload;
        Assert.AreEqual(new CommandCounts(3, 1, 1, 0, 0, 1), summary.Commands);
        RunFiles.AssertValidRun(result.ManifestPath);
    }

    [TestMethod]
    public async Task ATimeoutIsReportedAsTheConfiguredLimitNotTheTimeTakenToKill()
    {
        using var dir = new TempDirectory();
        var result = await new OrchestratorClient().ExecAsync(Shell("sleep 30", TimeSpan.FromMilliseconds(300)), Options(dir) with { KillGracePeriod = TimeSpan.FromMilliseconds(100) });

        Assert.AreEqual("command 1 (sleep) timed out after 0.3 s", result.StatusDetail);
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        Assert.AreEqual(300, manifest.RootElement.GetProperty("commands")[0].GetProperty("timeoutMs").GetInt64());
        Assert.AreEqual(5000, manifest.RootElement.GetProperty("heartbeatIntervalMs").GetInt64());
    }

    [TestMethod]
    public async Task TheEventBudgetIsConfigurableAndZeroMeansUnlimited()
    {
        using var dir = new TempDirectory();
        var options = Options(dir) with { Output = OutputLimits.Default with { EventBudgetBytes = 0 } };
        var result = await new OrchestratorClient().ExecAsync(Shell("head -c 3000000 /dev/zero | tr '\\0' 'b'"), options);

        Assert.AreEqual(3_000_000, result.Commands[0].Events.Bytes);
        Assert.AreEqual(0, result.Commands[0].Events.NotEmittedBytes);
        var chunks = RunFiles.ReadEvents(result.EventsPath).Select(e => e.Payload).OfType<ExecChunkPayload>().ToList();
        Assert.AreEqual(3_000_000, chunks.Sum(c => (long)c.Bytes));
        Assert.IsTrue(chunks.All(c => c.Bytes <= 8192));
    }

    private static DateTimeOffset ReadHeartbeat(string manifestPath, out string status, out string commandStatus)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
        status = doc.RootElement.GetProperty("status").GetString()!;
        var commands = doc.RootElement.GetProperty("commands");
        commandStatus = commands.GetArrayLength() > 0 ? commands[0].GetProperty("status").GetString()! : "none";
        return DateTimeOffset.Parse(doc.RootElement.GetProperty("heartbeatAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }
}
