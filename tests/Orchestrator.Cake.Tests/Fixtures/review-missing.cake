#r "__ADDIN__"
OrchestratorReview(new OrchestratorReviewSettings
{
    TaskId = Argument<string>("task-id"),
    RunsRoot = Argument<string>("runs-root"),
    RunId = Argument("run-id", (string)null),
});
