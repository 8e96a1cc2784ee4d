using System.Text;
using System.Text.Json;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Notifications;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Configuration;
using Orchestrator.Core.Tests.Notifications;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests;

/// <summary>
/// Notifications as every run sends them through <see cref="OrchestratorClient"/>: once the final
/// status is written, the run:summary line goes to each target; door &gt; ORCHESTRATOR_NOTIFY &gt;
/// configuration; the outcome lands in <c>manifest.notifications</c>; a failure never fails the run.
/// </summary>
[TestClass]
public sealed class OrchestratorClientNotificationTests
{
    private static readonly NotificationOptions Quick = new()
    {
        WebhookTimeout = TimeSpan.FromSeconds(5),
        WebhookInitialBackoff = TimeSpan.FromMilliseconds(50),
        CommandTimeout = TimeSpan.FromMilliseconds(500),
        CommandKillGracePeriod = TimeSpan.FromMilliseconds(200),
        CommandDrainTimeout = TimeSpan.FromMilliseconds(200),
    };

    private static RunOptions Options(TempDirectory dir, params string[] notify) => new()
    {
        RunsRoot = dir.Combine(".runs"),
        TaskId = "notify-wiring",
        WorkingDirectory = dir.Path,
        Sandbox = SandboxSettings.None,
        HeartbeatInterval = TimeSpan.Zero,
        EnvironmentReader = _ => null,
        Notify = notify,
        NotificationLimits = Quick,
    };

    private static ExecRequest Shell(string line) => new() { Command = CommandSpec.FromShell(line) };

    private static JsonElement Notifications(RunResult result)
    {
        RunFiles.AssertValidRun(result.ManifestPath);
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        return manifest.RootElement.GetProperty("notifications").Clone();
    }

    private static string LastEventLine(RunResult result) => File.ReadAllLines(result.EventsPath)[^1];

    [TestMethod]
    public async Task AWebhookGetsTheRunSummaryLineAndAServerErrorIsRetried()
    {
        using var dir = new TempDirectory();
        await using var server = TestHttpServer.Answering((500, "Internal Server Error"), (200, "OK"));

        var result = await new OrchestratorClient().ExecAsync(Shell("exit 2"), Options(dir, server.Url("/hook?token=s3cret")));

        Assert.AreEqual(RunStatus.Failed, result.Status);
        Assert.AreEqual(2, server.Requests.Count, "500, then 200");
        var delivered = server.Requests.Last();
        Assert.AreEqual("POST", delivered.Method);
        string body = Encoding.UTF8.GetString(delivered.Body);
        Assert.AreEqual(LastEventLine(result), body, "the webhook gets exactly the run:summary line of events.jsonl");
        using var summary = JsonDocument.Parse(body);
        Assert.AreEqual("run:summary", summary.RootElement.GetProperty("type").GetString());
        Assert.AreEqual("failed", summary.RootElement.GetProperty("payload").GetProperty("status").GetString());

        var notifications = Notifications(result);
        Assert.AreEqual("sdk", notifications.GetProperty("source").GetString());
        Assert.AreEqual(server.Url("/hook?token=***"), notifications.GetProperty("targets")[0].GetString());
        var delivery = notifications.GetProperty("deliveries").EnumerateArray().Single();
        Assert.IsTrue(delivery.GetProperty("delivered").GetBoolean());
        Assert.AreEqual(2, delivery.GetProperty("attempts").GetInt32());
        Assert.IsFalse(File.ReadAllText(result.ManifestPath).Contains("s3cret", StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task ACommandTargetRunsAfterTheFinalManifestIsWritten()
    {
        using var dir = new TempDirectory();
        string script = dir.Combine("notify.sh");
        File.WriteAllText(script, """
            #!/bin/sh
            here=$(dirname "$0")
            printf '%s' "$1" > "$here/summary.json"
            manifest=$(printf '%s' "$1" | sed -n 's/.*"manifestPath":"\([^"]*\)".*/\1/p')
            cp "$manifest" "$here/manifest-at-notify.json"
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = await new OrchestratorClient().ExecAsync(Shell("true"), Options(dir, $"command:{script}"));

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        Assert.AreEqual(LastEventLine(result), File.ReadAllText(dir.Combine("summary.json")));
        using var seen = JsonDocument.Parse(File.ReadAllBytes(dir.Combine("manifest-at-notify.json")));
        Assert.AreEqual("succeeded", seen.RootElement.GetProperty("status").GetString(), "the target sees the final status");
        Assert.AreNotEqual(JsonValueKind.Null, seen.RootElement.GetProperty("completedAt").ValueKind);
        var delivery = Notifications(result).GetProperty("deliveries")[0];
        Assert.IsTrue(delivery.GetProperty("delivered").GetBoolean());
        Assert.AreEqual("command", delivery.GetProperty("kind").GetString());
    }

    [TestMethod]
    [DataRow("command:orch-test-no-such-notifier", "orch-test-no-such-notifier")]
    [DataRow("command:/bin/sh -c 'echo broken >&2; exit 1'", "exit")]
    [DataRow("command:/bin/sh -c 'sleep 30'", "timed out")]
    public async Task AFailingNotifierIsRecordedAndNeverFailsTheRun(string target, string reason)
    {
        using var dir = new TempDirectory();

        var result = await new OrchestratorClient().ExecAsync(Shell("true"), Options(dir, target));

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        var delivery = Notifications(result).GetProperty("deliveries")[0];
        Assert.IsFalse(delivery.GetProperty("delivered").GetBoolean());
        StringAssert.Contains(delivery.GetProperty("failure").GetString(), reason);
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        Assert.AreEqual("succeeded", manifest.RootElement.GetProperty("status").GetString());
    }

    [TestMethod]
    public async Task AnUnreachableWebhookIsRecordedAndNeverFailsTheRun()
    {
        using var dir = new TempDirectory();

        var result = await new OrchestratorClient().ExecAsync(Shell("true"), Options(dir, $"http://127.0.0.1:{TestHttpServer.UnusedPort()}/hook"));

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        var delivery = Notifications(result).GetProperty("deliveries")[0];
        Assert.IsFalse(delivery.GetProperty("delivered").GetBoolean());
        Assert.AreEqual(3, delivery.GetProperty("attempts").GetInt32());
        StringAssert.Contains(delivery.GetProperty("failure").GetString(), "refused");
    }

    [TestMethod]
    public async Task AnInvalidDoorTargetIsAnErrorBeforeTheRunStarts()
    {
        using var dir = new TempDirectory();

        var error = await Assert.ThrowsExactlyAsync<OrchestratorException>(() =>
            new OrchestratorClient().ExecAsync(Shell("true"), Options(dir, "mailto:ops@example.com")));

        Assert.AreEqual(OrchestratorErrorCode.InvalidConfiguration, error.Code);
        StringAssert.Contains(error.Message, "SDK notification targets");
        Assert.IsFalse(Directory.Exists(dir.Combine(".runs")), "nothing was run or recorded");
    }

    [TestMethod]
    public async Task WithoutTargetsTheManifestSaysSourceNone()
    {
        using var dir = new TempDirectory();

        var result = await new OrchestratorClient().ExecAsync(Shell("true"), Options(dir));

        var notifications = Notifications(result);
        Assert.AreEqual("none", notifications.GetProperty("source").GetString());
        Assert.AreEqual(0, notifications.GetProperty("targets").GetArrayLength());
        Assert.AreEqual(0, notifications.GetProperty("deliveries").GetArrayLength());
    }

    [TestMethod]
    [DataRow(true, true, true, "sdk", "explicit", 0)]
    [DataRow(false, true, true, "environment", "environment", 1)]
    [DataRow(false, false, true, "config", "repo", 2)]
    [DataRow(false, false, false, "none", "default", -1)]
    public async Task TheDoorBeatsTheEnvironmentWhichBeatsTheConfiguration(bool door, bool env, bool config, string source, string level, int winner)
    {
        using var workspace = new ConfigWorkspace();
        await using var doorServer = TestHttpServer.Answering((200, "OK"));
        await using var envServer = TestHttpServer.Answering((200, "OK"));
        await using var configServer = TestHttpServer.Answering((200, "OK"));
        TestHttpServer[] servers = [doorServer, envServer, configServer];
        if (config)
        {
            workspace.WriteRepo($"notify:\n  - {configServer.Url()}\n");
        }

        if (env)
        {
            workspace.Environment[NotificationSettings.EnvironmentVariable] = envServer.Url();
        }

        var template = new RunOptions
        {
            WorkingDirectory = workspace.Root,
            HeartbeatInterval = TimeSpan.Zero,
            Notify = door ? [doorServer.Url()] : [],
        };
        var options = RunOptionsResolver.Resolve(workspace.Root, new ExplicitSettings { SandboxMode = SandboxMode.DangerFullAccess }, template,
            name => workspace.Environment.GetValueOrDefault(name));

        var result = await new OrchestratorClient().ExecAsync(Shell("true"), options);

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        Assert.AreEqual(source, Notifications(result).GetProperty("source").GetString());
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        Assert.AreEqual(level, manifest.RootElement.GetProperty("settingSources").GetProperty("notify").GetString());
        for (int i = 0; i < servers.Length; i++)
        {
            Assert.AreEqual(i == winner ? 1 : 0, servers[i].Requests.Count, $"server {i} (winner {winner})");
        }
    }
}
