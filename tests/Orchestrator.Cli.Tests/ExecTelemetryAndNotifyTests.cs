using System.Text;
using System.Text.Json;
using Orchestrator.Cli.Tests.Support;

namespace Orchestrator.Cli.Tests;

/// <summary>--otel-endpoint and --notify reach real listeners on 127.0.0.1 and are recorded.</summary>
[TestClass]
public sealed class ExecTelemetryAndNotifyTests
{
    [TestMethod]
    public async Task NotifyPostsTheRunSummaryToAWebhookAndTheManifestSaysSo()
    {
        using var dir = new TempDirectory();
        await using var receiver = HttpReceiver.Start();

        var outcome = await CliProcess.RunAsync(dir.Path, "exec", "--json", "--notify", receiver.Prefix + "hook", "--", "sh", "-c", "exit 3");
        var seen = await receiver.StopAsync();

        Assert.AreEqual(3, outcome.ExitCode, outcome.ToString());
        var post = seen.Single(s => s.Path == "/hook");
        using var summary = JsonDocument.Parse(post.Body);
        Assert.AreEqual("run:summary", summary.RootElement.GetProperty("type").GetString());
        using var result = JsonDocument.Parse(outcome.Stdout);
        string manifestPath = result.RootElement.GetProperty("manifestPath").GetString()!;
        using var manifest = RunRecords.AssertValidManifest(manifestPath);
        var notifications = manifest.RootElement.GetProperty("notifications");
        Assert.AreEqual("cli", notifications.GetProperty("source").GetString());
        Assert.IsTrue(notifications.GetProperty("deliveries").EnumerateArray().Single().GetProperty("delivered").GetBoolean());
    }

    [TestMethod]
    public async Task OtelEndpointExportsTracesAndAMalformedOneOnlyWarns()
    {
        using var dir = new TempDirectory();
        await using var receiver = HttpReceiver.Start();

        var exported = await CliProcess.RunAsync(dir.Path, "exec", "--json", "--otel-endpoint", receiver.Prefix.TrimEnd('/'), "--", "true");
        var seen = await receiver.StopAsync();

        Assert.AreEqual(0, exported.ExitCode, exported.ToString());
        var traces = seen.Where(s => s.Path == "/v1/traces").ToList();
        Assert.IsTrue(traces.Count >= 1, "the run's spans reached the receiver");
        Assert.AreEqual("application/x-protobuf", traces[0].ContentType);
        // Spans that end while the run goes on may go out (every 2 s) before the run span does.
        Assert.IsTrue(traces.Any(t => Encoding.UTF8.GetString(t.Body).Contains("cicd.pipeline.run.id", StringComparison.Ordinal)), "the run span carries the CI/CD attributes");

        var malformed = await CliProcess.RunAsync(dir.Path, "exec", "--json", "--otel-endpoint", "not a url", "--", "true");
        Assert.AreEqual(0, malformed.ExitCode, malformed.ToString());
        using var result = JsonDocument.Parse(malformed.Stdout);
        using var manifest = RunRecords.AssertValidManifest(result.RootElement.GetProperty("manifestPath").GetString()!);
        Assert.IsFalse(manifest.RootElement.GetProperty("telemetry").GetProperty("enabled").GetBoolean());
        Assert.IsTrue(manifest.RootElement.GetProperty("warnings").EnumerateArray().Any(w => w.GetProperty("code").GetString() == "TelemetryEndpointInvalid"));
    }
}
