using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Tests.Telemetry;
using Orchestrator.Tasks.Tests.Support;

namespace Orchestrator.Tasks.Tests;

/// <summary>OrchestratorOtelEndpoint and OrchestratorNotify in real `dotnet msbuild` builds, against real listeners on 127.0.0.1.</summary>
[TestClass]
public sealed class TelemetryAndNotificationTests
{
    // The build must not pick up an endpoint or targets from the machine running the tests.
    private static readonly Dictionary<string, string?> CleanEnvironment = new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
        ["OTEL_EXPORTER_OTLP_HEADERS"] = null,
        ["ORCHESTRATOR_NOTIFY"] = null,
        ["TRACEPARENT"] = null,
    };

    [ClassInitialize]
    public static async Task PrepareConsumerAsync(TestContext _) => await ConsumerProject.PrepareAsync();

    private static Dictionary<string, string> Props(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [TestMethod]
    public async Task OrchestratorOtelEndpointSendsTheBuildsRunSpansToTheReceiver()
    {
        await using var receiver = OtlpReceiver.Answering(200);

        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "echo traced"), ("OrchestratorTaskId", "otel-build"), ("OrchestratorOtelEndpoint", receiver.Endpoint)),
            environment: CleanEnvironment);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        string manifest = ConsumerProject.Manifests(runs).Single();
        RunFiles.AssertValidRun(manifest);
        using var doc = RunFiles.ReadManifest(manifest);
        var telemetry = doc.RootElement.GetProperty("telemetry");
        Assert.AreEqual("msbuild", telemetry.GetProperty("source").GetString());
        Assert.AreEqual(3, telemetry.GetProperty("spansExported").GetInt64(), "run, tool run, attempt");
        var spans = receiver.Spans();
        var run = spans.Single(s => s.ParentSpanId == "");
        Assert.AreEqual(doc.RootElement.GetProperty("runId").GetString(), run["cicd.pipeline.run.id"]);
        Assert.AreEqual("otel-build", run["cicd.pipeline.name"]);
        Assert.AreEqual("success", run["cicd.pipeline.result"]);
        Assert.AreEqual(telemetry.GetProperty("traceId").GetString(), run.TraceId);
        var tool = spans.Single(s => s.ParentSpanId == run.SpanId);
        Assert.AreEqual("echo traced", tool["orchestrator.command"]);
        Assert.AreEqual(0L, tool["process.exit.code"]);
        Assert.AreEqual(tool.SpanId, spans.Single(s => s.ParentSpanId == tool.SpanId).ParentSpanId);
    }

    [TestMethod]
    public async Task AMalformedOrchestratorOtelEndpointIsAWarningAndTheBuildSucceeds()
    {
        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "echo fine"), ("OrchestratorOtelEndpoint", "collector:4318")),
            environment: CleanEnvironment);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Stdout, "warning ORCH1005: Telemetry is off: the OTLP endpoint 'collector:4318' from property OrchestratorOtelEndpoint is not usable");
        using var doc = RunFiles.ReadManifest(ConsumerProject.Manifests(runs).Single());
        Assert.IsFalse(doc.RootElement.GetProperty("telemetry").GetProperty("enabled").GetBoolean());
    }

    [TestMethod]
    public async Task OrchestratorNotifyPostsTheRunSummaryToAWebhook()
    {
        int port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            string body = await reader.ReadToEndAsync();
            string contentType = context.Request.ContentType ?? "";
            context.Response.StatusCode = 200;
            context.Response.Close();
            return (context.Request.HttpMethod, contentType, body);
        });

        // Two targets in one property: ';' must reach MSBuild escaped, as %3B.
        string marker = Path.Combine(Path.GetTempPath(), $"orch-notified-{Guid.NewGuid():N}");
        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "exit 3"), ("OrchestratorTaskId", "notify-build"),
                ("OrchestratorNotify", $"http://127.0.0.1:{port}/hook%3Bcommand:/bin/sh -c 'touch $0' {marker}")),
            environment: CleanEnvironment);

        Assert.AreNotEqual(0, result.ExitCode, "the command failed, so does the build");
        Assert.IsTrue(received.Wait(TimeSpan.FromSeconds(30)), "the webhook was called");
        var (method, contentType, body) = await received;
        Assert.AreEqual("POST", method);
        StringAssert.StartsWith(contentType, "application/json");
        string manifest = ConsumerProject.Manifests(runs).Single();
        RunFiles.AssertValidRun(manifest);
        string eventsPath = Path.Combine(Path.GetDirectoryName(manifest)!, "events.jsonl");
        Assert.AreEqual(File.ReadAllLines(eventsPath)[^1], body, "the run:summary line, as in events.jsonl");
        using var summary = JsonDocument.Parse(body);
        Assert.AreEqual("failed", summary.RootElement.GetProperty("payload").GetProperty("status").GetString());
        Assert.IsTrue(File.Exists(marker), "the command target ran");
        File.Delete(marker);

        using var doc = RunFiles.ReadManifest(manifest);
        var notifications = doc.RootElement.GetProperty("notifications");
        Assert.AreEqual("msbuild", notifications.GetProperty("source").GetString());
        Assert.AreEqual(2, notifications.GetProperty("targets").GetArrayLength());
        Assert.IsTrue(notifications.GetProperty("deliveries").EnumerateArray().All(d => d.GetProperty("delivered").GetBoolean()), notifications.ToString());
        Assert.AreEqual("explicit", doc.RootElement.GetProperty("settingSources").GetProperty("notify").GetString());
    }

    [TestMethod]
    public async Task AnUndeliverableNotificationIsAWarningAndAnInvalidTargetAnError()
    {
        var (undelivered, _) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "echo fine"), ("OrchestratorNotify", "command:orch-test-no-such-notifier")),
            environment: CleanEnvironment);
        var (invalid, invalidRuns) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "echo never"), ("OrchestratorNotify", "mailto:ops@example.com")),
            environment: CleanEnvironment);

        Assert.AreEqual(0, undelivered.ExitCode, undelivered.ToString());
        StringAssert.Contains(undelivered.Stdout, "warning ORCH1006: The notification to command:orch-test-no-such-notifier was not delivered");
        Assert.AreNotEqual(0, invalid.ExitCode);
        StringAssert.Contains(invalid.Stdout, "error ORCH0009");
        StringAssert.Contains(invalid.Stdout, "property OrchestratorNotify");
        Assert.AreEqual(0, ConsumerProject.Manifests(invalidRuns).Length, "nothing ran");
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
