using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Outcomes;
using Orchestrator.Core.Pipelines;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Tests.Outcomes;

/// <summary>
/// A pipeline, guardrails or diagnostics run is classified once, here: the MSBuild targets, the Cake
/// aliases and the CLI render what this says (before, each door decided and worded it itself).
/// </summary>
[TestClass]
public sealed class PipelineOutcomesTests
{
    private const string Manifest = "/w/.runs/default/cli/r/manifest.json";

    private static PipelineRunResult Pipeline(RunStatus status, GuardrailStatus? guardrails = null, string? detail = null) => new()
    {
        TaskId = "default",
        RunId = "2026-12-07T10-00-00-000Z-0123abcd",
        PipelineId = guardrails is null ? "ci" : "guardrails",
        Status = status,
        StatusDetail = detail,
        RunDirectory = "/w/.runs/default/cli/r",
        ManifestPath = Manifest,
        EventsPath = "/w/.runs/default/cli/r/events.jsonl",
        ResumeToken = "2026-12-07T10-00-00-000Z-0123abcd.0123456789abcdef",
        Steps = [],
        ChildRuns = [],
        GuardrailStatus = guardrails,
    };

    private static GuardrailStatus Guardrails(GuardrailRecommendation recommendation, string summary) =>
        new(new GuardrailCounts(1, 0, 0, 0, 0), recommendation, summary);

    [TestMethod]
    public void ASucceededPipelinePassesSilently()
    {
        var outcome = PipelineOutcomes.Of(Pipeline(RunStatus.Succeeded));
        Assert.IsFalse(outcome.Fails);
        Assert.IsEmpty(outcome.Notices);
    }

    [TestMethod]
    public void AFailedPipelineIsOrch0110WithItsDetailAndResumeToken()
    {
        var outcome = PipelineOutcomes.Of(Pipeline(RunStatus.Failed, detail: "step unit exited with code 1"));
        Assert.AreEqual("ORCH0110", outcome.Error!.Code);
        Assert.AreEqual(OutcomeSeverity.Error, outcome.Error.Severity);
        StringAssert.StartsWith(outcome.Error.Text, "The pipeline \"ci\" failed: step unit exited with code 1. Resume token: 2026-12-07T10-00-00-000Z-0123abcd.0123456789abcdef");
        StringAssert.EndsWith(outcome.Error.Text, "Manifest: " + Manifest);
    }

    [TestMethod]
    public void ACancelledPipelineIsOrch0111()
    {
        Assert.AreEqual("ORCH0111: The pipeline \"ci\" was cancelled. Manifest: " + Manifest, PipelineOutcomes.Of(Pipeline(RunStatus.Cancelled)).Error!.ToString());
    }

    [TestMethod]
    public void GuardrailsDecideByTheirRecommendationNotTheRunStatus()
    {
        var fail = PipelineOutcomes.Of(Pipeline(RunStatus.Failed, Guardrails(GuardrailRecommendation.Fail, "fail: lint (failed)")));
        Assert.AreEqual("ORCH0112: Guardrails recommend fail: lint (failed) Manifest: " + Manifest, fail.Error!.ToString());

        var review = PipelineOutcomes.Of(Pipeline(RunStatus.Succeeded, Guardrails(GuardrailRecommendation.NeedsReview, "needs-review: spec-guard would fail (dry run)")));
        Assert.IsFalse(review.Fails);
        var warning = Assert.ContainsSingle(review.Notices);
        Assert.AreEqual(OutcomeSeverity.Warning, warning.Severity);
        Assert.AreEqual("ORCH1007", warning.Code);

        var strict = PipelineOutcomes.Of(Pipeline(RunStatus.Succeeded, Guardrails(GuardrailRecommendation.NeedsReview, "needs-review: x")), failOnNeedsReview: true);
        Assert.AreEqual("ORCH0113", strict.Error!.Code);

        var pass = PipelineOutcomes.Of(Pipeline(RunStatus.Succeeded, Guardrails(GuardrailRecommendation.Pass, "pass: 3 succeeded")));
        Assert.IsFalse(pass.Fails);
        Assert.AreEqual(OutcomeSeverity.Message, Assert.ContainsSingle(pass.Notices).Severity);
    }

    [TestMethod]
    public void EachFailedDiagnosticsCheckIsAnOrch0114()
    {
        static DiagnosticCheckRecord Check(string id, DiagnosticCheckStatus status) => new(id, id.ToUpperInvariant(), status, id + " detail", new Dictionary<string, string>());
        var result = new DiagnosticsResult
        {
            TaskId = "default",
            RunId = "r",
            Status = RunStatus.Failed,
            ManifestPath = Manifest,
            EventsPath = "e",
            SummaryPath = "s",
            ReportPath = "p",
            Checks = [Check("git", DiagnosticCheckStatus.Fail), Check("sdk", DiagnosticCheckStatus.Pass), Check("bubblewrap", DiagnosticCheckStatus.Fail)],
            Summary = "",
        };

        var outcome = PipelineOutcomes.Of(result);
        Assert.AreEqual("ORCH0114: Diagnostics check \"GIT\" failed: git detail Manifest: " + Manifest, outcome.Error!.ToString());
        Assert.AreEqual("ORCH0114", Assert.ContainsSingle(outcome.Notices).Code);
        Assert.IsFalse(PipelineOutcomes.Of(result with { Status = RunStatus.Succeeded, Checks = [Check("sdk", DiagnosticCheckStatus.Pass)] }).Fails);
    }
}
