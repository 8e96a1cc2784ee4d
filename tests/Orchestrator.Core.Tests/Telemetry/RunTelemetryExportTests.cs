using System.Collections.Immutable;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Telemetry;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Telemetry;

/// <summary>What a real run sends to a real OTLP/HTTP receiver: the span tree, its attributes, metrics, headers.</summary>
[TestClass]
public sealed class RunTelemetryExportTests
{
    private const int SpanKindInternal = 1;
    private const int SpanKindServer = 2;
    private const int StatusError = 2;

    [TestMethod]
    public async Task ARunBecomesARunSpanWithAToolSpanPerCommandAndAnExecSpanPerAttempt()
    {
        using var dir = new TempDirectory();
        await using var receiver = OtlpReceiver.Answering(200);
        var telemetry = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint), _ => null);

        var (run, record, _) = await TelemetryRun.RunAsync(telemetry, dir, null,
            TelemetryRun.Shell("echo hello", "hello"), TelemetryRun.Shell("exit 3", "three"));

        Assert.AreEqual(RunStatus.Failed, run.Status);
        var spans = receiver.Spans();
        Assert.AreEqual(5, spans.Count, string.Join(", ", spans.Select(s => s.Name)));
        var root = spans.Single(s => s.Name == $"RUN {TelemetryRun.TaskId}");
        Assert.AreEqual(SpanKindServer, root.Kind);
        Assert.AreEqual("", root.ParentSpanId, "without TRACEPARENT the run starts a trace");
        Assert.AreEqual("Orchestrator", root.Scope);
        Assert.AreEqual("orchestrator", root.Resource["service.name"]);
        Assert.AreEqual(TelemetryRun.TaskId, root["cicd.pipeline.name"]);
        Assert.AreEqual(run.RunId, root["cicd.pipeline.run.id"]);
        Assert.AreEqual("failure", root["cicd.pipeline.result"]);
        Assert.AreEqual(3L, root["process.exit.code"]);
        Assert.AreEqual(StatusError, root.StatusCode);
        Assert.AreEqual("failed", root["error.type"]);
        Assert.IsTrue(spans.All(s => s.TraceId == root.TraceId), "one trace");

        var tools = spans.Where(s => s.ParentSpanId == root.SpanId).OrderBy(s => (string)s["cicd.pipeline.task.run.id"]!).ToList();
        Assert.AreEqual(2, tools.Count);
        Assert.AreEqual("exec echo", tools[0].Name);
        Assert.AreEqual(SpanKindInternal, tools[0].Kind);
        Assert.AreEqual("tool-001", tools[0]["cicd.pipeline.task.run.id"]);
        Assert.AreEqual("success", tools[0]["cicd.pipeline.task.run.result"]);
        Assert.AreEqual(0L, tools[0]["process.exit.code"]);
        Assert.AreEqual("unsandboxed", tools[0]["orchestrator.sandbox.state"]);
        Assert.AreEqual("not-required", tools[0]["orchestrator.approval.source"]);
        Assert.AreEqual(0L, tools[0]["orchestrator.retry.count"]);
        Assert.AreEqual("echo hello", tools[0]["orchestrator.command"]);
        Assert.AreEqual("failure", tools[1]["cicd.pipeline.task.run.result"]);
        Assert.AreEqual(3L, tools[1]["process.exit.code"]);
        Assert.AreEqual(StatusError, tools[1].StatusCode);

        var hello = spans.Single(s => s.ParentSpanId == tools[0].SpanId);
        Assert.AreEqual("echo", hello.Name);
        Assert.AreEqual("001-hello", hello["orchestrator.exec.id"]);
        Assert.AreEqual(1L, hello["orchestrator.attempt"]);
        Assert.AreEqual(0L, hello["process.exit.code"]);
        Assert.AreEqual("succeeded", hello["orchestrator.status"]);
        Assert.IsInstanceOfType<long>(hello["orchestrator.duration_ms"]);
        Assert.IsInstanceOfType<long>(hello["process.pid"]);
        Assert.AreEqual("echo hello", hello["process.command_line"]);
        var three = spans.Single(s => s.ParentSpanId == tools[1].SpanId);
        Assert.AreEqual(3L, three["process.exit.code"]);
        Assert.AreEqual("failed", three["orchestrator.status"]);

        Assert.IsTrue(record.Enabled);
        Assert.AreEqual("sdk", record.Source);
        Assert.AreEqual(receiver.Endpoint + "/", record.Endpoint);
        Assert.AreEqual("http/protobuf", record.Protocol);
        Assert.AreEqual(root.TraceId, record.TraceId);
        Assert.AreEqual(5, record.SpansExported, "the record counts what the endpoint accepted");
        Assert.AreEqual(0, record.Failures.Count, record.ToString());
        Assert.IsFalse(record.Disabled);
        Assert.IsTrue(receiver.Requests.All(r => r.Method == "POST" && r.Header("content-type") == "application/x-protobuf"));
    }

    [TestMethod]
    public async Task ARetriedCommandHasOneExecSpanPerAttemptAndItsRetryCount()
    {
        using var dir = new TempDirectory();
        await using var receiver = OtlpReceiver.Answering(200);
        var telemetry = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint), _ => null);
        var options = TelemetryRun.Options(dir, telemetry) with
        {
            Retry = new RetryPolicy(3, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50), [75], []),
        };

        var (run, record, _) = await TelemetryRun.RunAsync(telemetry, dir, options,
            TelemetryRun.Shell("if [ -f flag ]; then exit 0; fi; touch flag; exit 75", "flaky"));

        Assert.IsTrue(run.Succeeded, run.StatusDetail);
        var spans = receiver.Spans();
        var tool = spans.Single(s => s.Name == "exec if");
        Assert.AreEqual(1L, tool["orchestrator.retry.count"]);
        Assert.AreEqual(2L, tool["orchestrator.attempt.count"]);
        CollectionAssert.Contains(tool.Events.ToList(), "orchestrator.retry");
        var attempts = spans.Where(s => s.ParentSpanId == tool.SpanId).OrderBy(s => (long)s["orchestrator.attempt"]!).ToList();
        Assert.AreEqual(2, attempts.Count);
        Assert.AreEqual(75L, attempts[0]["process.exit.code"]);
        Assert.AreEqual(0L, attempts[1]["process.exit.code"]);

        var retries = receiver.MetricPoints().Where(p => p.Metric == TelemetryNames.RetriesMetric).ToList();
        Assert.AreEqual(1, retries.Sum(p => p.Value));
        Assert.AreEqual("transient-exit-code", retries.Single()["orchestrator.retry.reason"]);
        Assert.AreEqual(0, record.Failures.Count);
    }

    [TestMethod]
    public async Task MetricsArriveForCommandsDurationsAndTheRun()
    {
        using var dir = new TempDirectory();
        await using var receiver = OtlpReceiver.Answering(200);
        var telemetry = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint), _ => null);

        var (run, record, _) = await TelemetryRun.RunAsync(telemetry, dir, null,
            TelemetryRun.Shell("true", "one"), TelemetryRun.Shell("true", "two"), TelemetryRun.Shell("true", "three"));

        Assert.IsTrue(run.Succeeded, run.StatusDetail);
        var points = receiver.MetricPoints();
        var commands = points.Where(p => p.Metric == TelemetryNames.CommandsMetric).ToList();
        Assert.AreEqual(3, commands.Sum(p => p.Value));
        Assert.IsTrue(commands.All(p => (string?)p["cicd.pipeline.name"] == TelemetryRun.TaskId && (string?)p["orchestrator.status"] == "succeeded"));
        Assert.AreEqual("unsandboxed", commands[0]["orchestrator.sandbox.state"]);
        var durations = points.Where(p => p.Metric == TelemetryNames.CommandDurationMetric).ToList();
        Assert.AreEqual("histogram", durations.Single().Kind);
        Assert.AreEqual(3, durations.Single().Value, "three recorded durations");
        var runDuration = points.Single(p => p.Metric == TelemetryNames.RunDurationMetric);
        Assert.AreEqual("success", runDuration["cicd.pipeline.result"]);
        Assert.AreEqual(1, runDuration.Value);
        Assert.AreEqual(points.Count, record.MetricsExported, "the record counts the data points the endpoint accepted");
    }

    [TestMethod]
    public async Task AnEscalationIsCountedWithItsDecision()
    {
        using var dir = new TempDirectory();
        await using var receiver = OtlpReceiver.Answering(200);
        var telemetry = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint), _ => null);
        var options = TelemetryRun.Options(dir, telemetry) with
        {
            // Only a sandboxed run has a sandbox to leave: escalation is asked for there.
            Sandbox = Orchestrator.Core.Orchestration.Sandbox.SandboxSettings.Default,
            Approvals = Orchestrator.Core.Orchestration.Approvals.ApprovalSettings.Default with
            {
                PreApprovals = [new(["touch"], Orchestrator.Core.Orchestration.Approvals.ApprovalAction.Escalate, Orchestrator.Core.Orchestration.Approvals.ApprovalScope.Persistent, "test", "orchestrator.yaml:1:1")],
            },
        };
        var request = new ExecRequest { Command = CommandSpec.FromArgv("touch", "escalated.txt"), RequestEscalation = true };

        var (run, _, _) = await TelemetryRun.RunAsync(telemetry, dir, options, request);

        Assert.IsTrue(run.Succeeded, run.StatusDetail);
        var escalation = receiver.MetricPoints().Single(p => p.Metric == TelemetryNames.EscalationsMetric);
        Assert.AreEqual(1, escalation.Value);
        Assert.AreEqual("approved", escalation["orchestrator.approval.decision"]);
        Assert.AreEqual("config", escalation["orchestrator.approval.source"]);
        var tool = receiver.Spans().Single(s => s.Name == "exec touch");
        CollectionAssert.Contains(tool.Events.ToList(), "orchestrator.approval");
        Assert.AreEqual("config", tool["orchestrator.approval.source"]);
    }

    [TestMethod]
    public async Task ARunJoinsTheTraceNamedByTraceparentAndNestedRunsNestUnderTheirCommand()
    {
        using var dir = new TempDirectory();
        await using var receiver = OtlpReceiver.Answering(200);
        const string ciTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        const string ciSpan = "00f067aa0ba902b7";
        var outerEnvironment = new Dictionary<string, string> { ["TRACEPARENT"] = $"00-{ciTrace}-{ciSpan}-01", ["TRACESTATE"] = "ci=1" };
        var outer = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint), name => outerEnvironment.GetValueOrDefault(name));
        IReadOnlyDictionary<string, string>? child = null;
        // What the door does just before a command starts: ask for the variables its process gets.
        var door = new DelegateEventSink(e =>
        {
            if (e.Payload is ToolBeginPayload tool)
            {
                child = outer.ChildEnvironment("001-nested", tool.ToolRunId);
            }
        });

        var (run, record, _) = await TelemetryRun.RunAsync(outer, dir, TelemetryRun.Options(dir, outer, door), TelemetryRun.Shell("true", "nested"));
        var inner = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint), name => child!.GetValueOrDefault(name));
        using var innerDir = new TempDirectory();
        var (_, innerRecord, _) = await TelemetryRun.RunAsync(inner, innerDir, null, TelemetryRun.Shell("true"));

        Assert.IsTrue(run.Succeeded, run.StatusDetail);
        Assert.IsNotNull(child);
        Assert.AreEqual("ci=1", child["TRACESTATE"]);
        var spans = receiver.Spans();
        var outerRun = spans.Single(s => s["cicd.pipeline.run.id"] as string == run.RunId);
        Assert.AreEqual(ciTrace, outerRun.TraceId, "the run joins the CI's trace");
        Assert.AreEqual(ciSpan, outerRun.ParentSpanId, "under the CI's span");
        Assert.AreEqual(ciTrace, record.TraceId);
        var exec = spans.Single(s => s["orchestrator.exec.id"] as string == "001-nested" && s.TraceId == ciTrace);
        Assert.AreEqual($"00-{ciTrace}-{exec.SpanId}-01", child["TRACEPARENT"], "the command's TRACEPARENT names its exec span");
        var tool = spans.Single(s => s.SpanId == exec.ParentSpanId);
        Assert.AreEqual(outerRun.SpanId, tool.ParentSpanId);
        var innerRun = spans.Single(s => s.Name == $"RUN {TelemetryRun.TaskId}" && s.SpanId != outerRun.SpanId);
        Assert.AreEqual(ciTrace, innerRun.TraceId);
        Assert.AreEqual(exec.SpanId, innerRun.ParentSpanId, "a run started by the command nests under the command's span");
        Assert.AreEqual(ciTrace, innerRecord.TraceId);
    }

    [TestMethod]
    public async Task AnUnsampledParentTraceGetsContextButNoSpans()
    {
        using var dir = new TempDirectory();
        await using var receiver = OtlpReceiver.Answering(200);
        var telemetry = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint), name => name == "TRACEPARENT" ? "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00" : null);

        var (run, record, _) = await TelemetryRun.RunAsync(telemetry, dir, null, TelemetryRun.Shell("true"));

        Assert.IsTrue(run.Succeeded);
        Assert.AreEqual(0, receiver.Spans().Count);
        Assert.AreEqual("4bf92f3577b34da6a3ce929d0e0e4736", record.TraceId);
        Assert.IsTrue(receiver.MetricPoints().Count > 0, "metrics do not depend on the trace's sampling");
    }

    [TestMethod]
    public async Task SecretsInACommandLineNeverReachASpan()
    {
        using var dir = new TempDirectory();
        await using var receiver = OtlpReceiver.Answering(200);
        const string secret = "s3cr3t-Value-4711";
        var secrets = Orchestrator.Core.Security.SecretSet.Create([new("DEPLOY_TOKEN", secret)]);
        var telemetry = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint), _ => null, secrets);
        string line = $"API_TOKEN=abc123def echo {secret} https://ci:hunter22@example.com --password pw1234 -H 'Authorization: Bearer tok9876'";

        var (run, _, _) = await TelemetryRun.RunAsync(telemetry, dir, null, TelemetryRun.Shell(line, "leaky"));

        Assert.IsTrue(run.Succeeded, run.StatusDetail);
        var spans = receiver.Spans();
        string everything = string.Join("\n", spans.SelectMany(s => s.Attributes.Values.Select(v => v.ToString())).Concat(spans.Select(s => s.Name)));
        foreach (string leaked in new[] { secret, "abc123def", "hunter22", "pw1234", "tok9876" })
        {
            Assert.IsFalse(everything.Contains(leaked, StringComparison.Ordinal), $"'{leaked}' reached a span:\n{everything}");
        }

        Assert.AreEqual("API_TOKEN=*** echo *** https://***@example.com --password *** -H 'Authorization: Bearer ***'", spans.Single(s => s.Name == "exec echo")["orchestrator.command"]);
    }

    [TestMethod]
    public async Task HeadersAndUrlCredentialsAreSentButNeverRecorded()
    {
        using var dir = new TempDirectory();
        await using var receiver = OtlpReceiver.Answering(200);
        string endpoint = receiver.Endpoint.Replace("http://", "http://ci:hunter22@", StringComparison.Ordinal) + "/otlp?api_key=s3cret";
        var environment = new Dictionary<string, string>
        {
            [TelemetrySettings.EndpointVariable] = endpoint,
            [TelemetrySettings.HeadersVariable] = "x-api-key=key%3D1,x-tenant=ci",
        };
        var settings = TelemetrySettings.Resolve(null, "cli", name => environment.GetValueOrDefault(name), null);
        var telemetry = RunTelemetry.Start(settings, name => environment.GetValueOrDefault(name));

        var (_, record, _) = await TelemetryRun.RunAsync(telemetry, dir, null, TelemetryRun.Shell("true"));

        var traces = receiver.Requests.First(r => r.IsTraces);
        Assert.AreEqual("/otlp/v1/traces?api_key=s3cret", traces.Path, "the signal path goes after the base path");
        Assert.AreEqual("key=1", traces.Header("x-api-key"));
        Assert.AreEqual("ci", traces.Header("x-tenant"));
        Assert.AreEqual("Basic " + Convert.ToBase64String("ci:hunter22"u8.ToArray()), traces.Header("authorization"));
        Assert.IsTrue(receiver.Requests.Any(r => r.Path == "/otlp/v1/metrics?api_key=s3cret"));
        Assert.AreEqual($"http://127.0.0.1:{receiver.Port}/otlp?api_key=***", record.Endpoint);
        Assert.AreEqual("environment", record.Source);
    }
}
