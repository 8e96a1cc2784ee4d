using Orchestrator.Core.Runs;
using Orchestrator.Core.Telemetry;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Telemetry;

/// <summary>
/// Runs of one process that export to the same endpoint share one SDK pipeline (and its
/// connections), while everything the manifest says about telemetry stays the run's own: the
/// spans and points it got accepted, its failures, whether it was turned off.
/// </summary>
[TestClass]
public sealed class RunTelemetrySharedPipelineTests
{
    [TestMethod]
    public async Task ConsecutiveRunsReuseThePipelineAndItsConnections()
    {
        using var dir = new TempDirectory();
        await using var receiver = OtlpReceiver.Answering(200);

        var records = new List<TelemetryRecord>();
        for (int i = 0; i < 3; i++)
        {
            var telemetry = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint), _ => null);
            var (run, record, _) = await TelemetryRun.RunAsync(telemetry, dir, null, TelemetryRun.Shell("true"));
            Assert.IsTrue(run.Succeeded, run.StatusDetail);
            records.Add(record);
        }

        Assert.IsTrue(records.All(r => r.SpansExported == 3), string.Join("; ", records));
        Assert.IsTrue(records.All(r => r.MetricsExported > 0 && r.Failures.Count == 0), string.Join("; ", records));
        Assert.AreEqual(3, records.Select(r => r.TraceId).Distinct().Count(), "a trace per run");
        Assert.AreEqual(9, receiver.Spans().Count);
        // A pipeline per run would have opened a trace and a metrics connection for each run.
        Assert.AreEqual(2, receiver.Connections, "one kept-alive connection per signal for all three runs");
    }

    [TestMethod]
    public async Task OverlappingRunsEachCountOnlyTheirOwnSpansAndDataPoints()
    {
        using var dirA = new TempDirectory();
        using var dirB = new TempDirectory();
        await using var receiver = OtlpReceiver.Answering(200);
        var telemetryA = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint), _ => null);
        var telemetryB = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint), _ => null);
        var optionsA = TelemetryRun.Options(dirA, telemetryA) with { TaskId = "otel-a" };
        var optionsB = TelemetryRun.Options(dirB, telemetryB) with { TaskId = "otel-b" };

        // Both sleep, so each is still going when the other starts and ends.
        var a = TelemetryRun.RunAsync(telemetryA, dirA, optionsA, TelemetryRun.Shell("sleep 0.4"), TelemetryRun.Shell("sleep 0.4"));
        var b = TelemetryRun.RunAsync(telemetryB, dirB, optionsB, TelemetryRun.Shell("sleep 0.4"));
        var (runA, recordA, _) = await a;
        var (runB, recordB, _) = await b;

        Assert.IsTrue(runA.Succeeded && runB.Succeeded);
        Assert.AreEqual(5, recordA.SpansExported, recordA.ToString());
        Assert.AreEqual(3, recordB.SpansExported, recordB.ToString());
        var spans = receiver.Spans();
        Assert.AreEqual(5, spans.Count(s => s.TraceId == recordA.TraceId));
        Assert.AreEqual(3, spans.Count(s => s.TraceId == recordB.TraceId));
        foreach (var request in receiver.Requests.Where(r => r.IsTraces))
        {
            Assert.AreEqual(1, OtlpDecoder.Spans(request.Body).Select(s => s.TraceId).Distinct().Count(), "a span request holds one run's spans");
        }

        // Each run is credited with exactly the points of its own series, wherever they were sent.
        var points = receiver.MetricPoints();
        Assert.AreEqual(points.Count(p => (string?)p["cicd.pipeline.name"] == "otel-a"), recordA.MetricsExported, recordA.ToString());
        Assert.AreEqual(points.Count(p => (string?)p["cicd.pipeline.name"] == "otel-b"), recordB.MetricsExported, recordB.ToString());
        Assert.IsTrue(recordA.MetricsExported >= 3 && recordB.MetricsExported >= 3, $"{recordA}; {recordB}");
        Assert.AreEqual(0, recordA.Failures.Count + recordB.Failures.Count);
        RunFiles.AssertValidRun(runA.ManifestPath);
        RunFiles.AssertValidRun(runB.ManifestPath);
    }

    [TestMethod]
    public async Task TelemetryTurnedOffForOneRunIsOnAgainForTheNext()
    {
        using var dir = new TempDirectory();
        // Three failures in a row turn the first run's telemetry off; the endpoint then recovers.
        await using var receiver = OtlpReceiver.Answering(503, 503, 503, 200);

        // A flush budget long enough for the retries (500 ms, then 1 s) on a busy machine.
        var first = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint) with { FlushTimeout = TimeSpan.FromSeconds(20) }, _ => null);
        var (run1, record1, _) = await TelemetryRun.RunAsync(first, dir, null, TelemetryRun.Shell("true"));
        var second = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint), _ => null);
        var (run2, record2, _) = await TelemetryRun.RunAsync(second, dir, null, TelemetryRun.Shell("true"));

        Assert.IsTrue(run1.Succeeded && run2.Succeeded);
        Assert.IsTrue(record1.Disabled, record1.ToString());
        Assert.AreEqual(3, record1.Failures.Count, record1.ToString());
        Assert.AreEqual(0, record1.SpansExported);
        Assert.IsFalse(record2.Disabled, record2.ToString());
        Assert.AreEqual(0, record2.Failures.Count, record2.ToString());
        Assert.AreEqual(3, record2.SpansExported);
        Assert.IsTrue(record2.MetricsExported > 0);
    }
}
