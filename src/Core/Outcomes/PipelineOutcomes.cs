using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Pipelines;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Outcomes;

/// <summary>
/// Classifies a finished pipeline, guardrails or diagnostics run once, for every door: the MSBuild
/// targets log the result, the Cake aliases throw its error, the CLI prints it.
/// </summary>
public static class PipelineOutcomes
{
    /// <summary>
    /// A pipeline or guardrails run: guardrails decide by their recommendation (<c>fail</c> is an
    /// error; <c>needs-review</c> a warning, or an error when <paramref name="failOnNeedsReview"/>);
    /// any other pipeline by its status.
    /// </summary>
    public static PipelineOutcome Of(PipelineRunResult result, bool failOnNeedsReview = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.GuardrailStatus is { } guardrails)
        {
            return guardrails.Recommendation switch
            {
                GuardrailRecommendation.Fail => new(MessageCatalogue.GuardrailsFailed(guardrails.Summary, result.ManifestPath), []),
                GuardrailRecommendation.NeedsReview when failOnNeedsReview => new(MessageCatalogue.GuardrailsNeedReview(guardrails.Summary, result.ManifestPath, asError: true), []),
                GuardrailRecommendation.NeedsReview => new(null, [MessageCatalogue.GuardrailsNeedReview(guardrails.Summary, result.ManifestPath, asError: false)]),
                _ => new(null, [MessageCatalogue.GuardrailsPassed(guardrails.Summary, result.ManifestPath)]),
            };
        }

        return result.Status switch
        {
            RunStatus.Failed => new(MessageCatalogue.PipelineFailed(result.PipelineId, result.StatusDetail, result.ResumeToken, result.ManifestPath), []),
            RunStatus.Cancelled => new(MessageCatalogue.PipelineCancelled(result.PipelineId, result.ManifestPath), []),
            _ => new(null, []),
        };
    }

    /// <summary>
    /// A diagnostics run: one error per failed check (the first is the run's error, the rest are
    /// notices of the same severity), or the cancellation.
    /// </summary>
    public static PipelineOutcome Of(DiagnosticsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var failed = result.Checks
            .Where(c => c.Status == DiagnosticCheckStatus.Fail)
            .Select(c => MessageCatalogue.DiagnosticsCheckFailed(c.Title, c.Detail, result.ManifestPath))
            .ToList();
        if (failed.Count > 0)
        {
            return new(failed[0], failed[1..]);
        }

        return result.Status == RunStatus.Cancelled
            ? new(MessageCatalogue.PipelineCancelled(Pipelines.PipelineDefinition.DiagnosticsName, result.ManifestPath), [])
            : new(null, []);
    }
}
