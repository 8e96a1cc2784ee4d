// The repository's Cake tasks, run by build/build.cake once it has built the addin (docs/cake.md).
// Run it directly only after `dotnet build src/Cake -c Release`.
#r "../src/Cake/bin/Release/net10.0/Cake.Orchestrator.dll"

var target = Argument("target", "Default");
var taskId = Argument("task-id", EnvironmentVariable("MCP_RUNNER_TASK_ID") ?? "cake");
var root = MakeAbsolute(Directory(".."));

Task("Diagnostics")
    .Description("The built-in diagnostics: SDK, git, bubblewrap (with a real sandboxed run), PTY, configuration, runs root, guardrails.")
    .Does(() =>
{
    var diagnostics = OrchestratorDiagnostics(new OrchestratorDiagnosticsSettings { TaskId = taskId, WorkingDirectory = root });
    Information("Diagnostics {0}: {1}", diagnostics.Status, diagnostics.SummaryPath);
});

Task("Guardrails")
    .Description("The guardrails of orchestrator.yaml as one run; fails when they recommend fail.")
    .Does(() =>
{
    var guardrails = OrchestratorGuardrails(new OrchestratorPipelineSettings { TaskId = taskId, WorkingDirectory = root });
    Information("Guardrails {0}: {1}", guardrails.Recommendation, guardrails.ManifestPath);
})
    // The review hand-off follows the guardrails whether they passed or not.
    .Finally(() =>
{
    var review = OrchestratorReview(new OrchestratorReviewSettings { TaskId = taskId, WorkingDirectory = root });
    Information("Review ({0}): {1}", review.Recommendation, review.ReviewPath);
});

Task("Review")
    .Description("Renders the task's latest run as review.md (and the GitHub step summary).")
    .Does(() =>
{
    var review = OrchestratorReview(new OrchestratorReviewSettings { TaskId = taskId, WorkingDirectory = root });
    Information("Recommendation: {0} ({1})", review.Recommendation, review.ReviewPath);
});

Task("Default")
    .IsDependentOn("Diagnostics")
    .IsDependentOn("Guardrails");

RunTarget(target);
