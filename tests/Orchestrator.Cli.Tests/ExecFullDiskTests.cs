using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Orchestrator.Cli.Tests.Support;
using Orchestrator.Tests.Shared;

namespace Orchestrator.Cli.Tests;

/// <summary>
/// `orchestrator exec` with its runs root on a real full file system (a 1 MiB tmpfs) and 10 MB of
/// output: it used to die with SIGABRT (134) and a stack trace, leaving the manifest in_progress
/// and events.jsonl torn.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ExecFullDiskTests
{
    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task AFullRunsRootExits73NamingThePathStopsTheCommandAndLeavesParseableRecords()
    {
        using var dir = new TempDirectory();
        using var disk = SmallFileSystem.Mount(dir.Combine(".runs"), 1024);
        var started = Stopwatch.StartNew();

        var outcome = await CliProcess.RunAsync(dir.Path, "exec", "--json", "--task", "full", "--sandbox", "danger-full-access", "--",
            "sh", "-c", "head -c 10000000 /dev/zero | tr '\\0' a; sleep 60; echo unrecorded > after.txt");

        Assert.AreEqual(73, outcome.ExitCode, outcome.ToString());
        Assert.IsLessThan(30, started.Elapsed.TotalSeconds, "the command was stopped, not waited for");
        Assert.IsFalse(File.Exists(dir.Combine("after.txt")), "the command did not go on unrecorded");
        StringAssert.Contains(outcome.Stderr, "No space left on device");
        StringAssert.Contains(outcome.Stderr, dir.Combine(".runs", "full", "cli"));
        Assert.DoesNotContain("Unhandled exception", outcome.Stderr, outcome.ToString());
        Assert.DoesNotContain("   at ", outcome.Stderr, "no stack trace");

        string runDirectory = Directory.GetDirectories(dir.Combine(".runs", "full", "cli")).Single();
        byte[] events = File.ReadAllBytes(Path.Combine(runDirectory, "events.jsonl"));
        Assert.AreEqual((byte)'\n', events[^1], "events.jsonl ends with a whole line");
        foreach (string line in Encoding.UTF8.GetString(events).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var _ = JsonDocument.Parse(line);
        }

        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(runDirectory, "manifest.json")));
        Assert.AreEqual("failed", manifest.RootElement.GetProperty("status").GetString());
        StringAssert.Contains(manifest.RootElement.GetProperty("statusDetail").GetString(), "No space left on device");
    }
}
