// The repository's Cake tasks, run by build/build.cake once it has built the addin (docs/cake.md).
// Run it directly only after `dotnet build src/Cake -c Release`.
#r "../src/Cake/bin/Release/net10.0/Cake.Orchestrator.dll"

var target = Argument("target", "Default");
var taskId = Argument("task-id", EnvironmentVariable("MCP_RUNNER_TASK_ID") ?? "cake");

Task("Review")
    .Description("Renders the task's latest run as review.md (and the GitHub step summary).")
    .Does(() =>
{
    var review = OrchestratorReview(new OrchestratorReviewSettings { TaskId = taskId });
    Information("Recommendation: {0} ({1})", review.Recommendation, review.ReviewPath);
});

Task("Default")
    .IsDependentOn("Review");

RunTarget(target);
