using Orchestrator.Core.Events;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Telemetry;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Telemetry;

/// <summary>
/// Endpoints that refuse, hang or fail: the run's result never changes, nothing throws into it,
/// completion stays bounded, and the record tells what happened. The upper bounds asserted here
/// are generous on purpose (these are not timing tests); the measured times are printed.
/// </summary>
[TestClass]
public sealed class RunTelemetryFailureTests
{
    // Far above the 2 s flush budget, so only a missing bound fails the test, not a slow machine.
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task ARefusingEndpointLeavesTheRunAloneAndIsDisabledAfterThreeFailures()
    {
        using var dir = new TempDirectory();
        // A flush budget wide enough for the three attempts and their 1.5 s of backoff even on a
        // loaded machine: this proves the three-failures rule; the 2 s bound has its own test.
        var settings = TelemetryRun.Settings($"http://127.0.0.1:{OtlpReceiver.UnusedPort()}") with { FlushTimeout = TimeSpan.FromSeconds(8) };
        var telemetry = RunTelemetry.Start(settings, _ => null);

        var (run, record, completeTime) = await TelemetryRun.RunAsync(telemetry, dir, null, TelemetryRun.Shell("echo fine"));

        TestContext.WriteLine($"CompleteAsync with a refusing endpoint: {completeTime.TotalMilliseconds:0} ms; record: {record}");
        Assert.IsTrue(run.Succeeded, run.StatusDetail);
        Assert.IsTrue(record.Enabled);
        Assert.IsTrue(record.Failures.Count >= 3, $"{record.Failures}");
        StringAssert.Contains(record.Failures.LastReason, "refused");
        Assert.IsTrue(record.Disabled, "three failures in a row turn telemetry off for the run");
        Assert.AreEqual(0, record.SpansExported);
        Assert.IsTrue(completeTime < Generous, $"{completeTime}");
    }

    [TestMethod]
    public async Task AHangingEndpointDelaysCompletionByNoMoreThanTheFlushBudget()
    {
        using var dir = new TempDirectory();

        // Warm the export path first (JIT, the first connection), so on a busy machine the bound
        // measured is the hanging endpoint's, not the first export's start-up.
        await using (var warm = OtlpReceiver.Answering(200))
        {
            using var warmDir = new TempDirectory();
            var warming = RunTelemetry.Start(TelemetryRun.Settings(warm.Endpoint) with { FlushTimeout = TimeSpan.FromSeconds(20) }, _ => null);
            await TelemetryRun.RunAsync(warming, warmDir, null, TelemetryRun.Shell("true"));
        }

        await using var receiver = OtlpReceiver.NeverAnswering();
        var telemetry = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint), _ => null);

        var (run, record, completeTime) = await TelemetryRun.RunAsync(telemetry, dir, null, TelemetryRun.Shell("echo fine"));

        TestContext.WriteLine($"CompleteAsync with a hanging endpoint: {completeTime.TotalMilliseconds:0} ms (budget 2000 ms); record: {record}");
        Assert.IsTrue(run.Succeeded, run.StatusDetail);
        Assert.IsTrue(receiver.Requests.Count > 0, "the export reached the endpoint");
        Assert.IsTrue(completeTime < Generous, $"{completeTime}");
        Assert.IsTrue(record.Failures.Count >= 1);
        StringAssert.Contains(record.Failures.LastReason, "did not finish within 2000 ms");
        Assert.AreEqual(0, record.SpansExported);
    }

    [TestMethod]
    public async Task AnAnswerWorthRetryingIsRetriedAndTheDataArrives()
    {
        using var dir = new TempDirectory();
        await using var receiver = OtlpReceiver.Answering(503, 200);
        // A flush budget long enough for the 500 ms backoff on a busy machine: this is about the retry, not the bound.
        var telemetry = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint) with { FlushTimeout = TimeSpan.FromSeconds(20) }, _ => null);

        var (run, record, _) = await TelemetryRun.RunAsync(telemetry, dir, null, TelemetryRun.Shell("true"));

        Assert.IsTrue(run.Succeeded);
        Assert.AreEqual(1, record.Failures.Count, $"{record.Failures}");
        Assert.AreEqual("HTTP 503 (Service Unavailable)", record.Failures.LastReason);
        Assert.IsFalse(record.Disabled);
        Assert.AreEqual(3, record.SpansExported, "run, tool and exec span, after the retry");
        Assert.IsTrue(record.MetricsExported > 0);
    }

    [TestMethod]
    public async Task AnAnswerNotWorthRetryingIsNotRetried()
    {
        using var dir = new TempDirectory();
        await using var receiver = OtlpReceiver.Answering(401);
        var telemetry = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint), _ => null);

        var (run, record, _) = await TelemetryRun.RunAsync(telemetry, dir, null, TelemetryRun.Shell("true"));

        Assert.IsTrue(run.Succeeded);
        Assert.AreEqual(2, receiver.Requests.Count, "one trace and one metrics request, neither retried");
        Assert.AreEqual(2, record.Failures.Count);
        StringAssert.StartsWith(record.Failures.LastReason, "HTTP 401");
        Assert.IsFalse(record.Disabled, "two failures in a row are not three");
    }

    [TestMethod]
    public async Task TelemetryNeverChangesTheResultOfAFailingRun()
    {
        using var dir = new TempDirectory();
        using var withoutDir = new TempDirectory();
        await using var hanging = OtlpReceiver.NeverAnswering();
        var telemetry = RunTelemetry.Start(TelemetryRun.Settings(hanging.Endpoint), _ => null);

        var (with, _, _) = await TelemetryRun.RunAsync(telemetry, dir, null, TelemetryRun.Shell("exit 4"), TelemetryRun.Shell("true"));
        var without = await new OrchestratorClient().RunAsync([TelemetryRun.Shell("exit 4"), TelemetryRun.Shell("true")], TelemetryRun.Options(withoutDir));

        Assert.AreEqual(without.Status, with.Status);
        Assert.AreEqual(without.ExitCode, with.ExitCode);
        Assert.AreEqual(without.StatusDetail, with.StatusDetail);
        Assert.AreEqual(without.Commands.Count, with.Commands.Count);
        RunFiles.AssertValidRun(with.ManifestPath);
    }

    [TestMethod]
    public async Task EventsOutOfOrderOrAfterCompletionNeverThrow()
    {
        await using var receiver = OtlpReceiver.Answering(200);
        var telemetry = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint), _ => null);
        var counts = new CommandCounts(1, 0, 1, 0, 0, 0);

        // No run:begin first, an end without a beginning, a summary for nothing.
        telemetry.Emit(ExecEvent.Create("r1", new ToolEndPayload { ToolRunId = "tool-009", Status = "failed", SandboxState = "sandboxed", ApprovalSource = "not-required", AttemptCount = 1, RetryCount = 0 }));
        telemetry.Emit(ExecEvent.Create("r1", new RunSummaryPayload { TaskId = "t", Status = "failed", DurationMs = 5, Commands = counts, ManifestPath = "/m" }));
        Assert.AreEqual(0, telemetry.ChildEnvironment("001-x").Count, "no run span yet: nothing to join");
        var record = await telemetry.CompleteAsync();
        telemetry.Emit(ExecEvent.Create("r1", new RunBeginPayload { TaskId = "t", Runner = "sdk", Cwd = "/", ManifestPath = "/m", EventsPath = "/e", ApprovalPolicy = "never", SandboxMode = "read-only" }));

        Assert.AreSame(record, await telemetry.CompleteAsync(), "completing twice returns the same record");
        Assert.IsNull(record.TraceId);
        Assert.AreEqual(0, record.Failures.Count);
        Assert.AreEqual(0, telemetry.ChildEnvironment("001-x").Count);
    }

    [TestMethod]
    public async Task ARunThatEndsWithoutSummaryStillExportsItsSpansMarkedIncomplete()
    {
        await using var receiver = OtlpReceiver.Answering(200);
        var telemetry = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint), _ => null);

        telemetry.Emit(ExecEvent.Create("r2", new RunBeginPayload { TaskId = "t", Runner = "sdk", Cwd = "/", ManifestPath = "/m", EventsPath = "/e", ApprovalPolicy = "never", SandboxMode = "read-only" }));
        telemetry.Emit(ExecEvent.Create("r2", new ToolBeginPayload { ToolRunId = "tool-001", Tool = "exec", Command = "make", ApprovalPolicy = "never", SandboxMode = "read-only", NetworkAccess = false }));
        var record = await telemetry.CompleteAsync();

        var spans = receiver.Spans();
        Assert.AreEqual(2, spans.Count);
        Assert.IsTrue(spans.All(s => s["orchestrator.incomplete"] is true));
        Assert.AreEqual("error", spans.Single(s => s.Name == "RUN t")["cicd.pipeline.result"]);
        Assert.AreEqual(2, record.SpansExported);
    }
}
