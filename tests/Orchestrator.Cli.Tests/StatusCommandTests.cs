using System.Text.Json;
using Orchestrator.Cli.Tests.Support;
using Orchestrator.Core.Events;

namespace Orchestrator.Cli.Tests;

[TestClass]
public sealed class StatusCommandTests
{
    [TestMethod]
    public async Task StatusFindsTheLatestRunOfATaskByItsRunDirectories()
    {
        using var dir = new TempDirectory();
        await CliProcess.RunAsync(dir.Path, "exec", "--task", "st", "--", "true");
        var second = await CliProcess.RunAsync(dir.Path, "exec", "--json", "--task", "st", "--", "sh", "-c", "exit 5");
        using var summary = JsonDocument.Parse(second.Stdout);

        var status = await CliProcess.RunAsync(dir.Path, "status", "--task", "st", "--json");

        Assert.AreEqual(0, status.ExitCode, status.ToString());
        using var report = JsonDocument.Parse(status.Stdout);
        Assert.AreEqual(summary.RootElement.GetProperty("runId").GetString(), report.RootElement.GetProperty("runId").GetString());
        Assert.AreEqual("failed", report.RootElement.GetProperty("status").GetString());
        Assert.AreEqual(5, report.RootElement.GetProperty("exitCode").GetInt32());
        Assert.AreEqual("task-state", report.RootElement.GetProperty("source").GetString(), "runs append their state to out/<task>/runs.jsonl");

        // Without the state file the run directories are listed instead, with the same answer.
        Directory.Delete(Path.Combine(dir.Path, "out"), recursive: true);
        var scanned = await CliProcess.RunAsync(dir.Path, "status", "--task", "st", "--json");
        Assert.AreEqual(0, scanned.ExitCode, scanned.ToString());
        using var scannedReport = JsonDocument.Parse(scanned.Stdout);
        Assert.AreEqual(summary.RootElement.GetProperty("runId").GetString(), scannedReport.RootElement.GetProperty("runId").GetString());
        Assert.AreEqual("scan", scannedReport.RootElement.GetProperty("source").GetString());

        var text = await CliProcess.RunAsync(dir.Path, "status", "--task", "st");
        Assert.AreEqual(0, text.ExitCode, text.ToString());
        StringAssert.Contains(text.Stdout, summary.RootElement.GetProperty("runId").GetString());
    }

    [TestMethod]
    public async Task StatusOfATaskWithoutRunsOrAnUnknownRunExits66()
    {
        using var dir = new TempDirectory();
        var none = await CliProcess.RunAsync(dir.Path, "status", "--task", "never-ran");
        Assert.AreEqual(66, none.ExitCode, none.ToString());
        StringAssert.Contains(none.Stderr, "never-ran");

        var unknown = await CliProcess.RunAsync(dir.Path, "status", "--task", "never-ran", "--run", "2025-11-03T23-58-59-546Z-49371323");
        Assert.AreEqual(66, unknown.ExitCode, unknown.ToString());

        var malformed = await CliProcess.RunAsync(dir.Path, "status", "--run", "not-a-run-id");
        Assert.AreEqual(64, malformed.ExitCode, malformed.ToString());
    }

    [TestMethod]
    public async Task AnEmptyTaskIsAUsageErrorNotTheDefaultTask()
    {
        using var dir = new TempDirectory();
        await CliProcess.RunAsync(dir.Path, "exec", "--", "true");

        var empty = await CliProcess.RunAsync(dir.Path, "status", "--task", "");

        Assert.AreEqual(64, empty.ExitCode, empty.ToString());
        StringAssert.Contains(empty.Stderr, "--task: the task id is empty");
        Assert.AreEqual(string.Empty, empty.Stdout, "the default task's run is not shown");
    }

    [TestMethod]
    public async Task WatchFollowsALiveRunToItsSummaryAndExitsWithItsCode()
    {
        using var dir = new TempDirectory();
        string gate = dir.Combine("gate");

        // The command waits for the gate file, so the watcher surely attaches while the run is live.
        using var exec = CliProcess.Start(dir.Path, "exec", "--jsonl", "--task", "live", "--sandbox", "danger-full-access", "--", "sh", "-c", $"echo before; while [ ! -e '{gate}' ]; do sleep 0.05; done; echo after; exit 4");
        string first = (await exec.StandardOutput.ReadLineAsync())!;
        var begin = (RunBeginPayload)RunRecords.ParseJsonl([first])[0].Payload;
        string runId = Path.GetFileName(Path.GetDirectoryName(begin.ManifestPath))!;

        using var watch = CliProcess.Start(dir.Path, "status", "--task", "live", "--run", runId, "--watch", "--json");
        Task<string> watchStderr = watch.StandardError.ReadToEndAsync();
        var watched = new List<string>();
        while (await watch.StandardOutput.ReadLineAsync() is { } line)
        {
            watched.Add(line);
            if (line.Contains("\"text\":\"before\\n\"", StringComparison.Ordinal))
            {
                break;
            }
        }

        File.WriteAllText(gate, "go");
        watched.AddRange((await watch.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await watch.WaitForExitAsync();
        await exec.StandardOutput.ReadToEndAsync();
        await exec.WaitForExitAsync();

        Assert.AreEqual(4, exec.ExitCode);
        Assert.AreEqual(4, watch.ExitCode, await watchStderr);
        var events = RunRecords.ParseJsonl(watched);
        Assert.AreEqual(ExecEventTypes.RunSummary, events[^1].Type);
        CollectionAssert.Contains(events.Select(e => e.Payload).OfType<ExecChunkPayload>().Select(c => c.Text).ToList(), "after\n");
    }
}
