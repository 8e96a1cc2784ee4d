#r "__ADDIN__"
var settings = new OrchestratorExecSettings
{
    Command = "echo 'lint: 2 problems, see log' >&2; exit 2",
    CommandId = "lint",
    Title = "Lint",
    IgnoreExitCode = true,
    TaskId = Argument<string>("task-id"),
    RunsRoot = Argument<string>("runs-root"),
};
var exec = OrchestratorExec(settings);
Information("EXEC exit={0} status={1}", exec.ExitCode, exec.Status);
var review = OrchestratorReview(new OrchestratorReviewSettings
{
    TaskId = Argument<string>("task-id"),
    RunsRoot = Argument<string>("runs-root"),
    FailOnFailRecommendation = Argument("fail-on-fail", false),
});
Information("REVIEW path={0} recommendation={1} failed={2} run={3}", review.ReviewPath, review.Recommendation, review.FailedCommands, review.RunId);
Information("EXEC-RUN={0}", exec.RunId);
