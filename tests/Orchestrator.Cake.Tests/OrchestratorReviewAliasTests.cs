using Orchestrator.Cake.Tests.Support;

namespace Orchestrator.Cake.Tests;

/// <summary>OrchestratorReview driven by real `dotnet cake` runs: review.md, the step summary and annotations.</summary>
[TestClass]
public sealed class OrchestratorReviewAliasTests
{
    [ClassInitialize]
    public static async Task PrepareAsync(TestContext _) => await CakeScript.WorkspaceAsync();

    private static Dictionary<string, string> Args(TempDirectory runs, string task) => new() { ["runs-root"] = runs.Path, ["task-id"] = task };

    [TestMethod]
    public async Task TheLatestRunIsReviewedIntoReviewMdTheStepSummaryAndErrorAnnotations()
    {
        using var runs = new TempDirectory("orch-cake-runs");
        string summary = Path.Combine(runs.Path, "step-summary.md");

        var result = await CakeScript.RunAsync("exec-ignore-and-review.cake", Args(runs, "cake-review"),
            new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary });

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "EXEC exit=2 status=failed");
        StringAssert.Contains(result.Output, "ORCH1002");
        string execRun = Line(result.Output, "EXEC-RUN=");
        StringAssert.Contains(result.Output, $"recommendation=fail failed=1 run={execRun}");
        string review = Path.Combine(Path.GetDirectoryName(Directory.GetFiles(runs.Path, "manifest.json", SearchOption.AllDirectories).Single())!, "review.md");
        StringAssert.Contains(result.Output, $"REVIEW path={review}");
        string markdown = await File.ReadAllTextAsync(review);
        StringAssert.Contains(markdown, "| 1 | **Lint**");
        StringAssert.Contains(markdown, "[stderr](commands/001-lint.stderr.log)");
        StringAssert.Contains(await File.ReadAllTextAsync(summary), markdown);
        // The workflow command is a line of its own, its message escaped (':' and ',' stay in the message, only the title escapes them).
        var annotation = result.Stdout.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("::error ", StringComparison.Ordinal));
        StringAssert.StartsWith(annotation, "::error title=Lint failed::`echo 'lint: 2 problems, see log' >&2; exit 2` exited with code 2.");
    }

    [TestMethod]
    public async Task FailOnFailRecommendationTurnsAFailedRunIntoACakeException()
    {
        using var runs = new TempDirectory("orch-cake-runs");
        var args = Args(runs, "cake-review-fail");
        args["fail-on-fail"] = "true";

        var result = await CakeScript.RunAsync("exec-ignore-and-review.cake", args);

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "ORCH0502: The review of run");
        StringAssert.Contains(result.Output, "recommends fail");
    }

    [TestMethod]
    public async Task AMissingRunIsAClearCakeError()
    {
        using var runs = new TempDirectory("orch-cake-runs");
        var args = Args(runs, "cake-none");
        args["run-id"] = "2025-11-03T23-58-59-546Z-49371323";

        var result = await CakeScript.RunAsync("review-missing.cake", args);

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "ORCH0500: Task 'cake-none' has no run '2025-11-03T23-58-59-546Z-49371323'");
    }

    private static string Line(string output, string prefix) =>
        output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];
}
