namespace Cake.Orchestrator;

/// <summary>How one step of a pipeline run ended.</summary>
/// <param name="Status"><c>succeeded</c>, <c>failed</c>, <c>timed_out</c>, <c>cancelled</c> or <c>skipped</c>.</param>
/// <param name="SucceededInRunId">For a step a resume skipped: the run it succeeded in.</param>
public sealed record OrchestratorStepResult(
    string Id, string Stage, string Status, int? ExitCode, string? Detail, bool ContinueOnError, string? ChildRunId, string? SucceededInRunId);
