using Orchestrator.Tasks.Tests.Support;

namespace Orchestrator.Tasks.Tests;

/// <summary>The shipped OrchestratorReview target driven by real `dotnet msbuild` builds of a project that references the package.</summary>
[TestClass]
public sealed class OrchestratorReviewTests
{
    [ClassInitialize]
    public static async Task PrepareConsumerAsync(TestContext _) => await ConsumerProject.PrepareAsync();

    private static Dictionary<string, string> Props(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [TestMethod]
    public async Task TheLatestRunIsReviewedWithOutputsStepSummaryAndAnnotations()
    {
        var (exec, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "echo compiling && exit 3"), ("OrchestratorIgnoreExitCode", "true"), ("OrchestratorTaskId", "review-me"), ("OrchestratorCommandId", "compile")));
        Assert.AreEqual(0, exec.ExitCode, exec.ToString());
        string manifest = ConsumerProject.Manifests(runs).Single();
        string summary = Path.Combine(runs, "summary.md");

        var (result, _) = await ConsumerProject.MSBuildAsync("ReviewAndReport", Props(("OrchestratorReviewTask", "review-me")), runs,
            environment: new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary });

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        string review = Path.Combine(Path.GetDirectoryName(manifest)!, "review.md");
        string runId = Path.GetFileName(Path.GetDirectoryName(manifest)!);
        StringAssert.Contains(result.Stdout, $"REVIEW={review} REC=fail OUTCOME=failed RUN={runId} FILE={review}");
        var annotation = result.Stdout.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("::error ", StringComparison.Ordinal));
        StringAssert.StartsWith(annotation, "::error title=compile failed::`echo compiling && exit 3` exited with code 3.");
        string markdown = await File.ReadAllTextAsync(review);
        StringAssert.Contains(markdown, "**Outcome:** ❌ failed (exit code 3)");
        StringAssert.Contains(markdown, "[stdout](commands/001-compile.stdout.log)");
        StringAssert.Contains(await File.ReadAllTextAsync(summary), markdown);
    }

    [TestMethod]
    public async Task AfterTargetsAttachesTheReviewToTheTargetThatRanTheCommand()
    {
        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "echo reviewed-in-the-same-build"), ("OrchestratorTaskId", "review-hook"), ("OrchestratorReviewAfterTargets", "OrchestratorExec")));

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        string manifest = ConsumerProject.Manifests(runs).Single();
        string review = Path.Combine(Path.GetDirectoryName(manifest)!, "review.md");
        StringAssert.Contains(result.Stdout, "recommendation pass): " + review);
        Assert.IsTrue(File.Exists(review));
    }

    [TestMethod]
    public async Task FailOnFailRecommendationFailsTheBuildWithOrch0502()
    {
        var (exec, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "exit 1"), ("OrchestratorIgnoreExitCode", "true"), ("OrchestratorTaskId", "review-fail")));
        Assert.AreEqual(0, exec.ExitCode, exec.ToString());

        var (result, _) = await ConsumerProject.MSBuildAsync("OrchestratorReview", Props(("OrchestratorReviewTask", "review-fail"), ("OrchestratorReviewFailOnFail", "true")), runs);

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Stdout, "error ORCH0502: The review of run");
    }

    [TestMethod]
    public async Task AMissingRunIsOrch0500()
    {
        var (result, _) = await ConsumerProject.MSBuildAsync("OrchestratorReview",
            Props(("OrchestratorReviewTask", "nothing-here"), ("OrchestratorReviewRunId", "2025-11-03T23-58-59-546Z-49371323")));

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Stdout, "error ORCH0500: Task 'nothing-here' has no run '2025-11-03T23-58-59-546Z-49371323'");
    }

    [TestMethod]
    public async Task ACorruptedManifestIsOrch0501()
    {
        var (exec, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec", Props(("OrchestratorCommand", "true"), ("OrchestratorTaskId", "review-corrupt")));
        Assert.AreEqual(0, exec.ExitCode, exec.ToString());
        string manifest = ConsumerProject.Manifests(runs).Single();
        await File.WriteAllTextAsync(manifest, "{ \"taskId\": ");

        var (result, _) = await ConsumerProject.MSBuildAsync("OrchestratorReview",
            Props(("OrchestratorReviewTask", "review-corrupt"), ("OrchestratorReviewRunId", Path.GetFileName(Path.GetDirectoryName(manifest)!))), runs);

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Stdout, "error ORCH0501: The manifest '" + manifest + "' is not valid JSON");
    }
}
