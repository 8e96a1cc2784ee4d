using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Cli.Tests.Support;

namespace Orchestrator.Cli.Tests;

/// <summary>`status` and `verify` believe only what a run of the task really wrote, and say when a run never finished.</summary>
[TestClass]
public sealed class RunTrustTests
{
    [TestMethod]
    public async Task StatusReportsForgedTaskStateLinesAsTamperingAndShowsTheLatestRealRun()
    {
        using var dir = new TempDirectory();
        var real = await CliProcess.RunAsync(dir.Path, "exec", "--json", "--task", "st", "--", "sh", "-c", "exit 5");
        using var summary = JsonDocument.Parse(real.Stdout);
        string realRun = summary.RootElement.GetProperty("runId").GetString()!;
        string realManifest = summary.RootElement.GetProperty("manifestPath").GetString()!;

        // A fake successful manifest outside the task's runs folder, and a run folder that is a link to it.
        Directory.CreateDirectory(dir.Combine("fake"));
        var fake = JsonNode.Parse(await File.ReadAllTextAsync(realManifest))!;
        fake["status"] = "succeeded";
        fake["exitCode"] = 0;
        fake["statusDetail"] = null;
        await File.WriteAllTextAsync(dir.Combine("fake", "manifest.json"), fake.ToJsonString());
        string linkedRun = NewRunId(DateTimeOffset.UtcNow.AddSeconds(1));
        Directory.CreateSymbolicLink(dir.Combine(".runs", "st", "cli", linkedRun), dir.Combine("fake"));

        string state = dir.Combine("out", "st", "runs.jsonl");
        int realLines = File.ReadAllLines(state).Length;
        await File.AppendAllLinesAsync(state,
        [
            Line("2999-01-01T00-00-00-000Z-deadbeef", "../../fake/manifest.json"),
            Line(NewRunId(DateTimeOffset.UtcNow.AddSeconds(1)), "../../fake/manifest.json"),
            Line(linkedRun, $"../../.runs/st/cli/{linkedRun}/manifest.json"),
            Line("not-a-run-id", "../../fake/manifest.json"),
        ]);

        var status = await CliProcess.RunAsync(dir.Path, "status", "--task", "st", "--json");

        Assert.AreEqual(0, status.ExitCode, status.ToString());
        using var report = JsonDocument.Parse(status.Stdout);
        Assert.AreEqual(realRun, report.RootElement.GetProperty("runId").GetString(), "the forged lines are not believed");
        Assert.AreEqual("failed", report.RootElement.GetProperty("status").GetString());
        var warnings = report.RootElement.GetProperty("warnings").EnumerateArray().ToList();
        Assert.AreEqual(4, warnings.Count(w => w.GetProperty("code").GetString() == "TaskStateTampered"), status.Stdout);
        for (int line = realLines + 1; line <= realLines + 4; line++)
        {
            Assert.IsTrue(warnings.Any(w => w.GetProperty("message").GetString()!.Contains($"line {line} ", StringComparison.Ordinal)), $"line {line} is named\n{status.Stdout}");
        }

        StringAssert.Contains(warnings[0].GetProperty("message").GetString(), "future");
        StringAssert.Contains(status.Stderr, "TaskStateTampered");

        // With the task state gone the run folders are scanned: the linked one is not believed either.
        File.Delete(state);
        var scanned = await CliProcess.RunAsync(dir.Path, "status", "--task", "st", "--json");
        using var scannedReport = JsonDocument.Parse(scanned.Stdout);
        Assert.AreEqual(realRun, scannedReport.RootElement.GetProperty("runId").GetString(), scanned.ToString());
    }

    [TestMethod]
    public async Task StatusSaysARunWhoseWriterDiedIsStale()
    {
        using var dir = new TempDirectory();
        string manifestPath = await CrashedRunAsync(dir);

        var json = await CliProcess.RunAsync(dir.Path, "status", "--task", "crash", "--json");
        var text = await CliProcess.RunAsync(dir.Path, "status", "--task", "crash");

        Assert.AreEqual(0, json.ExitCode, json.ToString());
        using var report = JsonDocument.Parse(json.Stdout);
        Assert.AreEqual("in_progress", report.RootElement.GetProperty("status").GetString());
        Assert.IsTrue(report.RootElement.GetProperty("stale").GetBoolean(), json.Stdout);
        StringAssert.Contains(report.RootElement.GetProperty("liveness").GetString(), "gone");
        StringAssert.Contains(text.Stdout, "in_progress (stale)");
        Assert.AreEqual(manifestPath, report.RootElement.GetProperty("manifestPath").GetString());
    }

    [TestMethod]
    public async Task VerifySaysARunThatNeverCompletedIsIncompleteAndExits75()
    {
        using var dir = new TempDirectory();
        string manifestPath = await CrashedRunAsync(dir);

        var verify = await CliProcess.RunAsync(dir.Path, "verify", "--json", manifestPath);
        var text = await CliProcess.RunAsync(dir.Path, "verify", manifestPath);

        Assert.AreEqual(75, verify.ExitCode, verify.ToString());
        using var report = JsonDocument.Parse(verify.Stdout);
        Assert.IsTrue(report.RootElement.GetProperty("valid").GetBoolean(), verify.ToString());
        Assert.IsFalse(report.RootElement.GetProperty("complete").GetBoolean());
        StringAssert.Contains(report.RootElement.GetProperty("incomplete").GetString(), "never completed");
        Assert.AreEqual(75, text.ExitCode, text.ToString());
        Assert.IsFalse(text.Stdout.Contains("ok:", StringComparison.Ordinal), text.ToString());
        StringAssert.Contains(text.Stderr, "incomplete");
    }

    [TestMethod]
    public async Task VerifySaysACompletedStatusWithoutARunSummaryIsIncomplete()
    {
        using var dir = new TempDirectory();
        var run = await CliProcess.RunAsync(dir.Path, "exec", "--json", "--task", "cut", "--", "true");
        using var summary = JsonDocument.Parse(run.Stdout);
        string manifestPath = summary.RootElement.GetProperty("manifestPath").GetString()!;
        string events = Path.Combine(Path.GetDirectoryName(manifestPath)!, "events.jsonl");
        await File.WriteAllLinesAsync(events, File.ReadAllLines(events)[..^1]);

        var verify = await CliProcess.RunAsync(dir.Path, "verify", "--json", manifestPath);

        Assert.AreEqual(65, verify.ExitCode, "a cut events file is an altered record first: " + verify);
        using var report = JsonDocument.Parse(verify.Stdout);
        Assert.IsFalse(report.RootElement.GetProperty("complete").GetBoolean(), verify.ToString());
    }

    /// <summary>A real run, then made to look like its writer was killed mid-run: in_progress, no summary, an old heartbeat, a dead pid.</summary>
    private static async Task<string> CrashedRunAsync(TempDirectory dir)
    {
        var run = await CliProcess.RunAsync(dir.Path, "exec", "--json", "--task", "crash", "--", "true");
        using var summary = JsonDocument.Parse(run.Stdout);
        string manifestPath = summary.RootElement.GetProperty("manifestPath").GetString()!;

        using var gone = Process.Start("true")!;
        await gone.WaitForExitAsync();
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
        var old = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        manifest["status"] = "in_progress";
        manifest["statusDetail"] = null;
        manifest["exitCode"] = null;
        manifest["completedAt"] = null;
        manifest["eventsSha256"] = null;
        manifest["heartbeatAt"] = old;
        manifest["runnerProcess"]!["pid"] = gone.Id;
        await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString());
        string events = Path.Combine(Path.GetDirectoryName(manifestPath)!, "events.jsonl");
        await File.WriteAllLinesAsync(events, File.ReadAllLines(events).Where(l => !l.Contains("\"run:summary\"", StringComparison.Ordinal)));
        return manifestPath;
    }

    private static string NewRunId(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH-mm-ss-fff'Z'", System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];

    private static string Line(string runId, string manifestPath) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["runId"] = runId,
            ["status"] = "succeeded",
            ["timestamp"] = "2026-01-01T00:00:00.000Z",
            ["runner"] = "cli",
            ["manifestPath"] = manifestPath,
            ["exitCode"] = 0,
            ["seq"] = 99,
        });
}
