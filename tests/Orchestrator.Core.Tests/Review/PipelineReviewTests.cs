using Orchestrator.Core.Review;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Review;

/// <summary>Reviews of real pipeline and guardrails runs (parent and child runs, guardrailStatus, resume).</summary>
[TestClass]
public sealed class PipelineReviewTests
{
    private static ReviewRequest Request(PipelineWorkspace ws, string? runId = null) => new()
    {
        TaskId = "pipe-tests",
        RunId = runId,
        RunsRoot = ws.RunsRoot,
        WorkingDirectory = ws.Path,
        Environment = name => name == "GITHUB_ACTIONS" ? "true" : null,
    };

    [TestMethod]
    public async Task AFailedGuardrailsRunIsReviewedWithItsGuardrailStatusAndTheFailedStepAnnotated()
    {
        using var ws = new PipelineWorkspace("guardrails:\n  steps:\n    - { id: lint, title: Lint, command: \"echo 'bad, very: bad' >&2; exit 1\" }\n    - { id: test, command: \"true\" }\n");
        var run = await new OrchestratorClient().RunGuardrailsAsync(ws.Options());

        // The task state (out/ beside .runs) names the latest run.
        var review = await new OrchestratorClient().ReviewAsync(Request(ws));

        Assert.AreEqual(run.RunId, review.RunId);
        Assert.AreEqual("fail", review.Recommendation);
        Assert.AreEqual("guardrails", review.RecommendationSource);
        StringAssert.Contains(review.Markdown, "## Guardrails");
        StringAssert.Contains(review.Markdown, run.GuardrailStatus!.Summary);
        StringAssert.Contains(review.Markdown, "| failed | 1 |");
        StringAssert.Contains(review.Markdown, "⏭️ skipped");
        StringAssert.StartsWith(review.Annotations.Single(), "::error title=Lint failed::");
    }

    [TestMethod]
    public async Task AParentRunLinksItsChildRunsAndAResumedRunShowsItsResume()
    {
        using var ws = new PipelineWorkspace("""
            pipelines:
              ci:
                steps:
                  - { id: first, command: "true" }
                  - { id: child, pipeline: other }
                  - { id: flaky, command: "test -f fixed" }
              other:
                steps:
                  - { id: inner, command: "echo inner" }
            """);
        var failed = await new OrchestratorClient().RunPipelineAsync("ci", ws.Options());
        Assert.AreEqual(Orchestrator.Core.Runs.RunStatus.Failed, failed.Status);
        await File.WriteAllTextAsync(ws.Combine("fixed"), "");
        var resumed = await new OrchestratorClient().ResumeAsync(failed.RunId, ws.Options());

        var parent = await new OrchestratorClient().ReviewAsync(Request(ws, failed.RunId));
        var resume = await new OrchestratorClient().ReviewAsync(Request(ws, resumed.RunId));

        StringAssert.Contains(parent.Markdown, "## Child runs");
        StringAssert.Contains(parent.Markdown, failed.ChildRuns.Single().RunId);
        StringAssert.Contains(parent.Markdown, $"](../{failed.ChildRuns.Single().RunId}/manifest.json)");
        Assert.AreEqual("pass", resume.Recommendation);
        StringAssert.Contains(resume.Markdown, "## Resume");
        StringAssert.Contains(resume.Markdown, $"| Parent run | {failed.RunId} |");
        StringAssert.Contains(resume.Markdown, "⏭️ skipped");
    }
}
