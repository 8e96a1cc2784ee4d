using System.Text.Json;
using Orchestrator.Cli.Tests.Support;

namespace Orchestrator.Cli.Tests;

/// <summary>`start` and `resume` drive pipelines through the built CLI: exit codes, JSON, manifests.</summary>
[TestClass]
public sealed class StartAndResumeTests
{
    private const string Pipeline = """
        sandbox:
          mode: danger-full-access
        pipelines:
          checks:
            steps:
              - id: first
                command: echo first >> steps.log
              - id: gate
                command: test -f fixed
              - id: last
                command: echo last >> steps.log
        """;

    [TestMethod]
    public async Task StartRunsTheBuiltInDiagnosticsWithoutAnyConfiguration()
    {
        using var dir = new TempDirectory();

        var outcome = await CliProcess.RunAsync(dir.Path, "start", "--format", "json");

        Assert.IsTrue(outcome.ExitCode is 0 or 1, outcome.ToString());
        using var report = JsonDocument.Parse(outcome.Stdout);
        string manifestPath = report.RootElement.GetProperty("manifestPath").GetString()!;
        using var manifest = RunRecords.AssertValidManifest(manifestPath);
        Assert.AreEqual("cli", manifest.RootElement.GetProperty("runner").GetString());
        Assert.IsTrue(manifest.RootElement.TryGetProperty("diagnostics", out _), "the manifest carries the diagnostics section");
    }

    [TestMethod]
    public async Task AFailedPipelineExitsWithItsStepsCodeAndResumeRerunsOnlyWhatFailed()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "orchestrator.yaml"), Pipeline);

        var failed = await CliProcess.RunAsync(dir.Path, "start", "checks", "--format", "json");
        Assert.AreEqual(1, failed.ExitCode, failed.ToString());
        using var failedReport = JsonDocument.Parse(failed.Stdout);
        Assert.AreEqual("failed", failedReport.RootElement.GetProperty("status").GetString());
        string failedRun = failedReport.RootElement.GetProperty("runId").GetString()!;

        // The outcome line every door gives for it (MessageCatalogue), on stderr whatever the format.
        StringAssert.Contains(failed.Stderr, "orchestrator: error ORCH0110: The pipeline \"checks\" failed: ");
        StringAssert.Contains(failed.Stderr, "Resume token: " + failedReport.RootElement.GetProperty("resumeToken").GetString());
        using (RunRecords.AssertValidManifest(failedReport.RootElement.GetProperty("manifestPath").GetString()!))
        {
        }

        await File.WriteAllTextAsync(Path.Combine(dir.Path, "fixed"), "");
        var resumed = await CliProcess.RunAsync(dir.Path, "resume", failedRun, "--format", "json");

        Assert.AreEqual(0, resumed.ExitCode, resumed.ToString());
        Assert.AreEqual(string.Empty, resumed.Stderr, "a run that passes prints no outcome line");
        using var report = JsonDocument.Parse(resumed.Stdout);
        Assert.AreEqual(failedRun, report.RootElement.GetProperty("parentRunId").GetString());
        var steps = report.RootElement.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!, s => s);
        Assert.AreEqual("skipped", steps["first"].GetProperty("status").GetString());
        Assert.AreEqual(failedRun, steps["first"].GetProperty("succeededInRunId").GetString());
        Assert.AreEqual("succeeded", steps["gate"].GetProperty("status").GetString());
        Assert.AreEqual("succeeded", steps["last"].GetProperty("status").GetString());
        CollectionAssert.AreEqual(new[] { "first", "last" }, File.ReadAllLines(Path.Combine(dir.Path, "steps.log")), "first ran once, last once");
        using (RunRecords.AssertValidManifest(report.RootElement.GetProperty("manifestPath").GetString()!))
        {
        }
    }

    [TestMethod]
    public async Task AnUnknownPipelineIsAUsageErrorAndAnUnknownRunIsNotFound()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "orchestrator.yaml"), Pipeline);

        var unknown = await CliProcess.RunAsync(dir.Path, "start", "no-such-pipeline");
        Assert.AreEqual(64, unknown.ExitCode, unknown.ToString());
        StringAssert.Contains(unknown.Stderr, "no-such-pipeline");

        var missing = await CliProcess.RunAsync(dir.Path, "resume", "2026-01-01T00-00-00-000Z-deadbeef");
        Assert.AreEqual(66, missing.ExitCode, missing.ToString());
        Assert.AreEqual("", missing.Stdout);
        StringAssert.Contains(missing.Stderr, "2026-01-01T00-00-00-000Z-deadbeef");
    }
}
