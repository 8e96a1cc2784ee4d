#r "__ADDIN__"
var target = Argument("target", "Guardrails");

Task("Guardrails").Does(() =>
{
    var result = OrchestratorGuardrails(new OrchestratorPipelineSettings { TaskId = "guard" });
    Information("GUARDRAILS recommendation={0} status={1} steps={2}", result.Recommendation, result.Status, string.Join(",", result.Steps.Select(s => s.Id + ":" + s.Status)));
});

Task("Pipeline").Does(() =>
{
    var result = OrchestratorPipeline(Argument("pipeline", "ci"), new OrchestratorPipelineSettings { TaskId = "guard", IgnoreFailure = Argument("ignore", false) });
    Information("PIPELINE status={0} steps={1} token={2}", result.Status, string.Join(",", result.Steps.Select(s => s.Id + ":" + s.Status)), result.ResumeToken);
});

Task("Diagnostics").Does(() =>
{
    var result = OrchestratorDiagnostics(new OrchestratorDiagnosticsSettings { TaskId = "diag", FailOnFailedCheck = false });
    Information("DIAGNOSTICS status={0} checks={1} manifest={2}", result.Status, string.Join(",", result.Checks.Select(c => c.Id)), result.ManifestPath);
});

// The review hand-off runs whatever happened, so a failed guardrail is still handed over.
Teardown(context =>
{
    if (target == "Guardrails")
    {
        var review = OrchestratorReview(new OrchestratorReviewSettings { TaskId = "guard" });
        Information("REVIEW recommendation={0} path={1}", review.Recommendation, review.ReviewPath);
    }
});

RunTarget(target);
