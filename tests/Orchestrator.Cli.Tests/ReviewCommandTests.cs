using System.Text.Json;
using Orchestrator.Cli.Tests.Support;

namespace Orchestrator.Cli.Tests;

[TestClass]
public sealed class ReviewCommandTests
{
    [TestMethod]
    public async Task ReviewOfTheLatestRunWritesReviewMdAndAnnotatesAFailureUnderGitHubActions()
    {
        using var dir = new TempDirectory();
        var failed = await CliProcess.RunAsync(dir.Path, "exec", "--json", "--task", "rev", "--", "sh", "-c", "echo broken >&2; exit 2");
        Assert.AreEqual(2, failed.ExitCode, failed.ToString());
        using var summary = JsonDocument.Parse(failed.Stdout);
        string runId = summary.RootElement.GetProperty("runId").GetString()!;
        string stepSummary = Path.Combine(dir.Path, "step-summary.md");

        var review = await CliProcess.RunAsync(CliProcess.StartInfo(dir.Path, ["review", "--task", "rev", "--fail-on-fail"],
            new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = stepSummary }));

        Assert.AreEqual(1, review.ExitCode, review.ToString());
        StringAssert.Contains(review.Stdout, runId);
        StringAssert.Contains(review.Stdout, "::error");
        string reviewPath = Path.Combine(Path.GetDirectoryName(summary.RootElement.GetProperty("manifestPath").GetString()!)!, "review.md");
        Assert.IsTrue(File.Exists(reviewPath));
        StringAssert.Contains(await File.ReadAllTextAsync(stepSummary), runId);

        var json = await CliProcess.RunAsync(dir.Path, "review", "--task", "rev", "--run", runId, "--format", "json");
        Assert.AreEqual(0, json.ExitCode, json.ToString());
        using var report = JsonDocument.Parse(json.Stdout);
        Assert.AreEqual("fail", report.RootElement.GetProperty("recommendation").GetString());
        Assert.AreEqual(reviewPath, report.RootElement.GetProperty("reviewPath").GetString());
    }

    [TestMethod]
    public async Task ReviewOfARunThatDoesNotExistExits66()
    {
        using var dir = new TempDirectory();

        var missing = await CliProcess.RunAsync(dir.Path, "review", "--task", "none", "--run", "2026-01-01T00-00-00-000Z-deadbeef");

        Assert.AreEqual(66, missing.ExitCode, missing.ToString());
        StringAssert.Contains(missing.Stderr, "orchestrator:");
    }
}
