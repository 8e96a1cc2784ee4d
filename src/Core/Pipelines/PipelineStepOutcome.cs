using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Pipelines;

/// <summary>How one step of a pipeline run ended.</summary>
/// <param name="Status">As the manifest records the step's command (a denied command is <c>failed</c>).</param>
/// <param name="Finding">A dry-run built-in check that would have failed (guardrails recommend needs-review).</param>
/// <param name="ChildRunId">The child run of a sub-pipeline step.</param>
/// <param name="SucceededInRunId">For a step a resume skipped: the run it succeeded in.</param>
public sealed record PipelineStepOutcome(
    string StepId,
    string Stage,
    CommandStatus Status,
    bool ContinueOnError,
    int? ExitCode,
    string? Detail,
    bool Finding = false,
    string? ChildRunId = null,
    string? SucceededInRunId = null);
