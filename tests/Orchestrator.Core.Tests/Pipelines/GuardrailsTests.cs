using Orchestrator.Core.Pipelines;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Pipelines;

[TestClass]
public sealed class GuardrailsTests
{
    private static void AssertStatus(string manifestPath, string recommendation, int succeeded, int failed, int skipped, int timedOut, int cancelled)
    {
        RunFiles.AssertValidRun(manifestPath);
        using var manifest = RunFiles.ReadManifest(manifestPath);
        var status = manifest.RootElement.GetProperty("guardrailStatus");
        Assert.AreEqual(recommendation, status.GetProperty("recommendation").GetString());
        var counts = status.GetProperty("counts");
        Assert.AreEqual(5, counts.EnumerateObject().Count());
        Assert.AreEqual(succeeded, counts.GetProperty("succeeded").GetInt32());
        Assert.AreEqual(failed, counts.GetProperty("failed").GetInt32());
        Assert.AreEqual(skipped, counts.GetProperty("skipped").GetInt32());
        Assert.AreEqual(timedOut, counts.GetProperty("timedOut").GetInt32());
        Assert.AreEqual(cancelled, counts.GetProperty("cancelled").GetInt32());
        Assert.IsFalse(status.GetProperty("summary").GetString()!.Contains('\n'));
    }

    [TestMethod]
    public async Task PassingGuardrailsRecommendPass()
    {
        using var ws = new PipelineWorkspace("guardrails:\n  steps:\n    - { id: lint, command: \"true\" }\n    - { id: test, command: \"true\" }\n");
        var result = await new OrchestratorClient().RunGuardrailsAsync(ws.Options());

        Assert.AreEqual(RunStatus.Succeeded, result.Status);
        Assert.AreEqual("guardrails", result.PipelineId);
        Assert.AreEqual(GuardrailRecommendation.Pass, result.GuardrailStatus!.Recommendation);
        AssertStatus(result.ManifestPath, "pass", 2, 0, 0, 0, 0);
    }

    [TestMethod]
    public async Task AFailingGuardrailRecommendsFailAndSkipsTheRest()
    {
        using var ws = new PipelineWorkspace("guardrails:\n  steps:\n    - { id: lint, command: \"exit 1\" }\n    - { id: test, command: \"true\" }\n");
        var result = await new OrchestratorClient().RunGuardrailsAsync(ws.Options());

        Assert.AreEqual(RunStatus.Failed, result.Status);
        Assert.AreEqual(GuardrailRecommendation.Fail, result.GuardrailStatus!.Recommendation);
        StringAssert.StartsWith(result.GuardrailStatus.Summary, "fail: lint (failed)");
        AssertStatus(result.ManifestPath, "fail", 0, 1, 1, 0, 0);
    }

    [TestMethod]
    public async Task AHangingGuardrailTimesOutAndTheRestContinuePerContinueOnError()
    {
        using var ws = new PipelineWorkspace("""
            guardrails:
              steps:
                - { id: hangs, command: "sleep 600", timeout: 1s, continueOnError: true }
                - { id: after, command: "touch after-ran" }
                - { id: hangs-hard, command: "sleep 600", timeout: 1s }
                - { id: never, command: "touch never-ran" }
            """);
        var result = await new OrchestratorClient().RunGuardrailsAsync(ws.Options() with { KillGracePeriod = TimeSpan.FromMilliseconds(200) });

        Assert.IsTrue(File.Exists(ws.Combine("after-ran")), "continueOnError: the step after the hung one ran");
        Assert.IsFalse(File.Exists(ws.Combine("never-ran")), "without continueOnError the hung step stops the pipeline");
        Assert.AreEqual(RunStatus.Failed, result.Status);
        CollectionAssert.AreEqual(
            new[] { CommandStatus.TimedOut, CommandStatus.Succeeded, CommandStatus.TimedOut, CommandStatus.Skipped },
            result.Steps.Select(s => s.Status).ToArray());
        AssertStatus(result.ManifestPath, "fail", 1, 0, 1, 2, 0);
    }

    [TestMethod]
    public async Task OnlyAContinueOnErrorFailureRecommendsNeedsReview()
    {
        using var ws = new PipelineWorkspace("""
            guardrails:
              steps:
                - { id: eval, command: "sleep 600", timeout: 1s, continueOnError: true }
                - { id: test, command: "true" }
            """);
        var result = await new OrchestratorClient().RunGuardrailsAsync(ws.Options() with { KillGracePeriod = TimeSpan.FromMilliseconds(200) });

        Assert.AreEqual(RunStatus.Succeeded, result.Status);
        Assert.AreEqual(GuardrailRecommendation.NeedsReview, result.GuardrailStatus!.Recommendation);
        StringAssert.Contains(result.GuardrailStatus.Summary, "eval timed out (continueOnError)");
        AssertStatus(result.ManifestPath, "needs-review", 1, 0, 0, 1, 0);
    }

    [TestMethod]
    public async Task CancellingAGuardrailsRunRecommendsFailAndSkipsTheRest()
    {
        using var ws = new PipelineWorkspace("""
            guardrails:
              steps:
                - { id: long, command: "touch started; sleep 600" }
                - { id: after, command: "touch after-ran" }
            """);
        using var cancel = new CancellationTokenSource();
        var running = new OrchestratorClient().RunGuardrailsAsync(ws.Options() with { KillGracePeriod = TimeSpan.FromMilliseconds(200) }, cancellationToken: cancel.Token);
        while (!File.Exists(ws.Combine("started")))
        {
            await Task.Delay(20);
        }

        cancel.Cancel();
        var result = await running;

        Assert.AreEqual(RunStatus.Cancelled, result.Status);
        Assert.IsFalse(File.Exists(ws.Combine("after-ran")));
        Assert.AreEqual(GuardrailRecommendation.Fail, result.GuardrailStatus!.Recommendation);
        AssertStatus(result.ManifestPath, "fail", 0, 0, 1, 0, 1);
        Assert.AreEqual(RunStatus.Cancelled, ws.State().Latest(result.RunId)!.Status);
    }

    [TestMethod]
    public async Task AGuardrailSubPipelineCountsAsOneStep()
    {
        using var ws = new PipelineWorkspace("""
            guardrails:
              steps:
                - { id: lint, pipeline: lint }
            pipelines:
              lint:
                steps: [ { id: a, command: "true" }, { id: b, command: "exit 3" } ]
            """);
        var result = await new OrchestratorClient().RunGuardrailsAsync(ws.Options());

        Assert.AreEqual(GuardrailRecommendation.Fail, result.GuardrailStatus!.Recommendation);
        AssertStatus(result.ManifestPath, "fail", 0, 1, 0, 0, 0);
        RunFiles.AssertValidRun(Path.Combine(result.RunDirectory, result.ChildRuns.Single().ManifestPath));
    }
}
