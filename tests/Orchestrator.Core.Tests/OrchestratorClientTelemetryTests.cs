using System.Text.Json;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Telemetry;
using Orchestrator.Core.Tests.Configuration;
using Orchestrator.Core.Tests.Support;
using Orchestrator.Core.Tests.Telemetry;

namespace Orchestrator.Core.Tests;

/// <summary>
/// Telemetry as every run gets it through <see cref="OrchestratorClient"/>: off unless a source names
/// an endpoint, door &gt; OTEL_EXPORTER_OTLP_ENDPOINT &gt; configuration, TRACEPARENT handed to commands,
/// and the manifest's <c>telemetry</c> record, which validates against schemas/manifest.json.
/// </summary>
[TestClass]
public sealed class OrchestratorClientTelemetryTests
{
    private static RunOptions Options(TempDirectory dir, Func<string, string?> environment) => new()
    {
        RunsRoot = dir.Combine(".runs"),
        TaskId = "otel-wiring",
        WorkingDirectory = dir.Path,
        Sandbox = SandboxSettings.None,
        HeartbeatInterval = TimeSpan.Zero,
        EnvironmentReader = environment,
    };

    private static ExecRequest Shell(string line, string? id = null) => new() { Command = CommandSpec.FromShell(line), Id = id };

    private static JsonElement Telemetry(RunResult result)
    {
        RunFiles.AssertValidRun(result.ManifestPath);
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        return manifest.RootElement.GetProperty("telemetry").Clone();
    }

    [TestMethod]
    public async Task WithoutAnEndpointTheManifestSaysTelemetryIsOffAndCommandsGetNoTraceparent()
    {
        using var dir = new TempDirectory();
        var result = await new OrchestratorClient().ExecAsync(Shell("printf '%s' \"${TRACEPARENT-unset}\" > tp.txt"), Options(dir, _ => null));

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        var telemetry = Telemetry(result);
        Assert.IsFalse(telemetry.GetProperty("enabled").GetBoolean());
        Assert.AreEqual("none", telemetry.GetProperty("source").GetString());
        Assert.AreEqual(JsonValueKind.Null, telemetry.GetProperty("endpoint").ValueKind);
        Assert.AreEqual("unset", File.ReadAllText(dir.Combine("tp.txt")));
    }

    [TestMethod]
    public async Task TheDoorsEndpointGetsTheRunsSpansAndEachCommandItsTraceparent()
    {
        using var dir = new TempDirectory();
        await using var receiver = OtlpReceiver.Answering(200);
        var options = Options(dir, _ => null) with { OtelEndpoint = receiver.Endpoint };

        var result = await new OrchestratorClient().RunAsync(
            [Shell("printf '%s' \"$TRACEPARENT\" > tp.txt", "traced"), Shell("exit 4", "fails")], options);

        Assert.AreEqual(RunStatus.Failed, result.Status, "telemetry does not change the result");
        var telemetry = Telemetry(result);
        Assert.IsTrue(telemetry.GetProperty("enabled").GetBoolean());
        Assert.AreEqual("sdk", telemetry.GetProperty("source").GetString());
        Assert.AreEqual(receiver.Endpoint + "/", telemetry.GetProperty("endpoint").GetString());
        Assert.AreEqual(5, telemetry.GetProperty("spansExported").GetInt64());
        Assert.AreEqual(0, telemetry.GetProperty("failures").GetProperty("count").GetInt32());
        Assert.IsFalse(telemetry.GetProperty("disabled").GetBoolean());

        var spans = receiver.Spans();
        var run = spans.Single(s => s.ParentSpanId == "");
        Assert.AreEqual(telemetry.GetProperty("traceId").GetString(), run.TraceId);
        Assert.AreEqual(result.RunId, run["cicd.pipeline.run.id"]);
        Assert.AreEqual("failure", run["cicd.pipeline.result"]);
        var exec = spans.Single(s => s["orchestrator.exec.id"] as string == "001-traced");
        Assert.AreEqual($"00-{run.TraceId}-{exec.SpanId}-01", File.ReadAllText(dir.Combine("tp.txt")), "the command's TRACEPARENT names its own span");
    }

    [TestMethod]
    public async Task ARunStartedByACommandNestsUnderThatCommandsSpan()
    {
        using var dir = new TempDirectory();
        await using var receiver = OtlpReceiver.Answering(200);
        IReadOnlyDictionary<string, string>? seen = null;
        // The inner run reads the TRACEPARENT its command was given, as a nested orchestrator would.
        var outer = Options(dir, _ => null) with { OtelEndpoint = receiver.Endpoint };
        var outerResult = await new OrchestratorClient().ExecAsync(Shell("printf '%s' \"$TRACEPARENT\" > tp.txt", "outer"), outer);
        string traceparent = File.ReadAllText(dir.Combine("tp.txt"));
        seen = new Dictionary<string, string> { ["TRACEPARENT"] = traceparent };

        using var innerDir = new TempDirectory();
        var inner = Options(innerDir, name => seen.GetValueOrDefault(name)) with { OtelEndpoint = receiver.Endpoint };
        var innerResult = await new OrchestratorClient().ExecAsync(Shell("true"), inner);

        Assert.IsTrue(outerResult.Succeeded && innerResult.Succeeded);
        var spans = receiver.Spans();
        var exec = spans.Single(s => s["orchestrator.exec.id"] as string == "001-outer");
        var innerRun = spans.Single(s => s["cicd.pipeline.run.id"] as string == innerResult.RunId && s.Name.StartsWith("RUN ", StringComparison.Ordinal));
        Assert.AreEqual(exec.TraceId, innerRun.TraceId);
        Assert.AreEqual(exec.SpanId, innerRun.ParentSpanId);
    }

    [TestMethod]
    [DataRow(true, true, true, "sdk", "explicit", 0)]
    [DataRow(false, true, true, "environment", "environment", 1)]
    [DataRow(false, false, true, "config", "repo", 2)]
    [DataRow(false, false, false, "none", "default", -1)]
    public async Task TheDoorBeatsTheEnvironmentWhichBeatsTheConfiguration(bool door, bool env, bool config, string source, string level, int winner)
    {
        using var workspace = new ConfigWorkspace();
        await using var doorReceiver = OtlpReceiver.Answering(200);
        await using var envReceiver = OtlpReceiver.Answering(200);
        await using var configReceiver = OtlpReceiver.Answering(200);
        OtlpReceiver[] receivers = [doorReceiver, envReceiver, configReceiver];
        if (config)
        {
            workspace.WriteRepo($"telemetry:\n  endpoint: {configReceiver.Endpoint}\n");
        }

        if (env)
        {
            workspace.Environment[TelemetrySettings.EndpointVariable] = envReceiver.Endpoint;
        }

        var template = new RunOptions
        {
            WorkingDirectory = workspace.Root,
            HeartbeatInterval = TimeSpan.Zero,
            OtelEndpoint = door ? doorReceiver.Endpoint : null,
        };
        var options = RunOptionsResolver.Resolve(workspace.Root, new ExplicitSettings { SandboxMode = SandboxMode.DangerFullAccess }, template,
            name => workspace.Environment.GetValueOrDefault(name));

        var result = await new OrchestratorClient().ExecAsync(Shell("true"), options);

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        var telemetry = Telemetry(result);
        Assert.AreEqual(source, telemetry.GetProperty("source").GetString());
        Assert.AreEqual(winner >= 0, telemetry.GetProperty("enabled").GetBoolean());
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        Assert.AreEqual(level, manifest.RootElement.GetProperty("settingSources").GetProperty("telemetry.endpoint").GetString());
        for (int i = 0; i < receivers.Length; i++)
        {
            Assert.AreEqual(i == winner, receivers[i].Spans().Count > 0, $"receiver {i} (winner {winner})");
        }
    }

    [TestMethod]
    [DataRow("localhost:4318", "scheme 'localhost' is not http or https")]
    [DataRow("not a url", "it is not an absolute URL")]
    [DataRow("ftp://collector:21", "scheme 'ftp' is not http or https")]
    [DataRow("http://", "not an absolute URL")]
    public async Task AMalformedEndpointIsAWarningAndTelemetryOffNeverAFailedRun(string endpoint, string reason)
    {
        using var dir = new TempDirectory();
        var options = Options(dir, _ => null) with { OtelEndpoint = endpoint };

        var result = await new OrchestratorClient().ExecAsync(Shell("true"), options);

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        var telemetry = Telemetry(result);
        Assert.IsFalse(telemetry.GetProperty("enabled").GetBoolean());
        Assert.AreEqual("sdk", telemetry.GetProperty("source").GetString(), "the source that named the bad endpoint is recorded");
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        var warning = manifest.RootElement.GetProperty("warnings").EnumerateArray().Single(w => w.GetProperty("code").GetString() == "TelemetryEndpointInvalid");
        StringAssert.Contains(warning.GetProperty("message").GetString(), "Telemetry is off");
        StringAssert.Contains(warning.GetProperty("message").GetString(), reason);
    }

    [TestMethod]
    public async Task ARefusingEndpointIsRecordedWithItsReasonAndTheRunStillSucceeds()
    {
        using var dir = new TempDirectory();
        var options = Options(dir, _ => null) with { OtelEndpoint = $"http://127.0.0.1:{OtlpReceiver.UnusedPort()}" };

        var result = await new OrchestratorClient().ExecAsync(Shell("echo fine"), options);

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        var telemetry = Telemetry(result);
        // Three refused attempts need 1.5 s of backoff inside the 2 s flush, which a loaded machine
        // may not give; the rule itself is proven with a wider budget in RunTelemetryFailureTests.
        // Either way the record must name the refusal.
        int failures = telemetry.GetProperty("failures").GetProperty("count").GetInt32();
        Assert.IsTrue(failures >= 1);
        Assert.AreEqual(failures >= 3, telemetry.GetProperty("disabled").GetBoolean(), $"{failures} failures in a row");
        StringAssert.Contains(telemetry.GetProperty("failures").GetProperty("lastReason").GetString(), "refused");
        Assert.AreEqual(0, telemetry.GetProperty("spansExported").GetInt64());
    }

    [TestMethod]
    public async Task AHangingEndpointLetsTheRunFinishAndIsRecordedAsAFailure()
    {
        using var dir = new TempDirectory();
        await using var receiver = OtlpReceiver.NeverAnswering();
        var options = Options(dir, _ => null) with { OtelEndpoint = receiver.Endpoint };

        var result = await new OrchestratorClient().ExecAsync(Shell("echo fine"), options);

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        Assert.IsTrue(receiver.Requests.Count > 0, "the export reached the endpoint");
        var telemetry = Telemetry(result);
        Assert.IsTrue(telemetry.GetProperty("enabled").GetBoolean());
        StringAssert.Contains(telemetry.GetProperty("failures").GetProperty("lastReason").GetString(), "did not finish within 2000 ms");
        Assert.AreEqual(0, telemetry.GetProperty("spansExported").GetInt64());
    }

    [TestMethod]
    public async Task TheDoorValueOffBeatsAnEndpointInTheEnvironment()
    {
        using var dir = new TempDirectory();
        await using var receiver = OtlpReceiver.Answering(200);
        var options = Options(dir, name => name == TelemetrySettings.EndpointVariable ? receiver.Endpoint : null) with { OtelEndpoint = "off" };

        var result = await new OrchestratorClient().ExecAsync(Shell("true"), options);

        Assert.IsTrue(result.Succeeded);
        Assert.IsFalse(Telemetry(result).GetProperty("enabled").GetBoolean());
        Assert.AreEqual(0, receiver.Requests.Count);
    }
}
