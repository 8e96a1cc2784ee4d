using Orchestrator.Core.Telemetry;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Telemetry;

/// <summary>OTLP over gRPC (<c>OTEL_EXPORTER_OTLP_PROTOCOL=grpc</c>) to a real HTTP/2 receiver.</summary>
[TestClass]
public sealed class RunTelemetryGrpcExportTests
{
    private static readonly Func<string, string?> Grpc = name => name == TelemetrySettings.ProtocolVariable ? "grpc" : null;

    [TestMethod]
    public async Task SpansAndMetricsGoOverHttp2ToTheExportMethods()
    {
        using var dir = new TempDirectory();
        await using var receiver = await OtlpGrpcReceiver.StartAsync(0);
        // A flush budget long enough for a first HTTP/2 connection on a busy machine (CI runs the test
        // projects side by side): this is about the protocol, not the bound.
        var telemetry = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint, Grpc) with { FlushTimeout = TimeSpan.FromSeconds(20) }, _ => null);

        var (run, record, _) = await TelemetryRun.RunAsync(telemetry, dir, null, TelemetryRun.Shell("echo hi", "hi"));

        Assert.IsTrue(run.Succeeded, run.StatusDetail);
        Assert.IsTrue(receiver.Requests.All(r => r.Protocol == "HTTP/2" && r.ContentType == "application/grpc"), string.Join(", ", receiver.Requests.Select(r => $"{r.Protocol} {r.ContentType}")));
        var spans = receiver.Spans();
        Assert.AreEqual(3, spans.Count, string.Join(", ", spans.Select(s => s.Name)));
        var root = spans.Single(s => s.Name == $"RUN {TelemetryRun.TaskId}");
        var tool = spans.Single(s => s.ParentSpanId == root.SpanId);
        var exec = spans.Single(s => s.ParentSpanId == tool.SpanId);
        Assert.AreEqual("exec echo", tool.Name);
        Assert.AreEqual("001-hi", exec["orchestrator.exec.id"]);
        Assert.AreEqual(run.RunId, root["cicd.pipeline.run.id"]);
        Assert.AreEqual("orchestrator", root.Resource["service.name"]);
        Assert.IsTrue(receiver.MetricPoints().Any(p => p.Metric == TelemetryNames.CommandsMetric && (string?)p["orchestrator.status"] == "succeeded"));

        Assert.AreEqual("grpc", record.Protocol);
        Assert.AreEqual(root.TraceId, record.TraceId);
        Assert.AreEqual(3, record.SpansExported, record.ToString());
        Assert.AreEqual(receiver.MetricPoints().Count, record.MetricsExported, record.ToString());
        Assert.AreEqual(0, record.Failures.Count, record.ToString());
    }

    [TestMethod]
    public async Task AnUnavailableStatusInTheTrailersIsRetried()
    {
        using var dir = new TempDirectory();
        // 14 = UNAVAILABLE: worth another try.
        await using var receiver = await OtlpGrpcReceiver.StartAsync(14, 0);
        var telemetry = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint, Grpc) with { FlushTimeout = TimeSpan.FromSeconds(20) }, _ => null);

        var (run, record, _) = await TelemetryRun.RunAsync(telemetry, dir, null, TelemetryRun.Shell("true"));

        Assert.IsTrue(run.Succeeded);
        Assert.AreEqual(1, record.Failures.Count, record.ToString());
        Assert.AreEqual("gRPC status 14", record.Failures.LastReason);
        Assert.AreEqual(3, record.SpansExported, "the retry delivered the spans");
        Assert.AreEqual(2, receiver.Requests.Count(r => r.Path == OtlpGrpcReceiver.TracePath));
    }
}
