using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Pipelines;

/// <summary>
/// Turns a guardrails run's step outcomes into its <see cref="GuardrailStatus"/>
/// (docs/guardrails.md#recommendation): <c>fail</c> when a required step did not succeed (or the run
/// was cancelled); <c>needs-review</c> when every required step passed but a continueOnError step did
/// not, or a dry-run check found a problem; <c>pass</c> otherwise.
/// </summary>
public static class GuardrailEvaluator
{
    public static GuardrailStatus Evaluate(IReadOnlyList<PipelineStepOutcome> steps, RunStatus runStatus)
    {
        ArgumentNullException.ThrowIfNull(steps);
        int succeeded = 0, failed = 0, skipped = 0, timedOut = 0, cancelled = 0;
        foreach (var step in steps)
        {
            switch (step.Status)
            {
                case CommandStatus.Succeeded: succeeded++; break;
                case CommandStatus.TimedOut: timedOut++; break;
                case CommandStatus.Cancelled: cancelled++; break;
                case CommandStatus.Skipped: skipped++; break;
                default: failed++; break;
            }
        }

        var counts = new GuardrailCounts(succeeded, failed, skipped, timedOut, cancelled);
        var required = steps.Where(s => !s.ContinueOnError && !Passed(s)).ToList();
        var optional = steps.Where(s => s.ContinueOnError && !Passed(s)).ToList();
        var findings = steps.Where(s => s.Finding).ToList();
        string tally = $"{steps.Count} guardrail(s): {succeeded} succeeded, {failed} failed, {timedOut} timed out, {cancelled} cancelled, {skipped} skipped";

        if (runStatus == RunStatus.Cancelled)
        {
            return new GuardrailStatus(counts, GuardrailRecommendation.Fail, $"fail: the run was cancelled; {tally}");
        }

        var blocking = required.Where(s => s.Status != CommandStatus.Skipped).ToList();
        if (runStatus != RunStatus.Succeeded || blocking.Count > 0)
        {
            string names = blocking.Count > 0 ? string.Join(", ", blocking.Select(s => $"{s.StepId} ({WireNames.Of(s.Status).Replace('_', ' ')})")) : "the run failed";
            return new GuardrailStatus(counts, GuardrailRecommendation.Fail, $"fail: {names}; {tally}");
        }

        if (optional.Count > 0 || findings.Count > 0)
        {
            var reasons = optional.Select(s => $"{s.StepId} {WireNames.Of(s.Status).Replace('_', ' ')} (continueOnError)")
                .Concat(findings.Select(s => $"{s.StepId} would fail (dry run)"));
            return new GuardrailStatus(counts, GuardrailRecommendation.NeedsReview, $"needs-review: {string.Join(", ", reasons)}; {tally}");
        }

        return new GuardrailStatus(counts, GuardrailRecommendation.Pass, $"pass: {tally}");
    }

    /// <summary>Succeeded, or skipped by a resume because it had succeeded before.</summary>
    private static bool Passed(PipelineStepOutcome step) =>
        step.Status == CommandStatus.Succeeded || (step.Status == CommandStatus.Skipped && step.SucceededInRunId is not null);
}
