using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.Diagnostics;
using Orchestrator.Core;
using Orchestrator.Core.Outcomes;
using Orchestrator.Core.Review;

namespace Cake.Orchestrator;

/// <summary>The review hand-off from a Cake script: a run's manifest as <c>review.md</c>, the GitHub step summary and <c>::error</c> annotations (docs/review.md).</summary>
[CakeAliasCategory("Orchestrator")]
public static class OrchestratorReviewAliases
{
    /// <summary>Reviews the task's latest run.</summary>
    /// <example><code>var review = OrchestratorReview(); Information(review.Recommendation);</code></example>
    [CakeMethodAlias]
    public static OrchestratorReviewResult OrchestratorReview(this ICakeContext context) =>
        OrchestratorReview(context, new OrchestratorReviewSettings());

    /// <summary>Reviews the run the settings name (default: the task's latest).</summary>
    [CakeMethodAlias]
    public static OrchestratorReviewResult OrchestratorReview(this ICakeContext context, OrchestratorReviewSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        if (!string.IsNullOrWhiteSpace(settings.TaskId) && !global::Orchestrator.Core.Runs.TaskId.IsValid(settings.TaskId, out string? problem))
        {
            throw new CakeException($"ORCH0001: Invalid task id '{settings.TaskId}': {problem}.");
        }

        var request = new ReviewRequest
        {
            TaskId = string.IsNullOrWhiteSpace(settings.TaskId) ? null : settings.TaskId,
            RunId = string.IsNullOrWhiteSpace(settings.RunId) ? null : settings.RunId,
            ManifestPath = CakeRunOptions.Absolute(context, settings.ManifestPath),
            RunsRoot = CakeRunOptions.Absolute(context, settings.RunsRoot),
            StateRoot = CakeRunOptions.Absolute(context, settings.StateRoot),
            ConfigFile = CakeRunOptions.Absolute(context, settings.ConfigFile),
            WorkingDirectory = CakeRunOptions.WorkingDirectory(context, settings),
            WriteStepSummary = settings.WriteStepSummary,
            Annotations = settings.Annotations,
        };

        ReviewResult result;
        try
        {
            result = Task.Run(() => new OrchestratorClient().ReviewAsync(request)).GetAwaiter().GetResult();
        }
        catch (OrchestratorException ex)
        {
            throw OrchestratorFailures.From(ex, review: true);
        }

        // Straight to stdout, not through the Cake log: the log colours its lines (ANSI escapes before
        // the "::") and drops them at low verbosity, and the runner only sees a workflow command that
        // starts its line.
        foreach (string annotation in result.Annotations)
        {
            Console.Out.WriteLine(annotation);
        }

        Console.Out.Flush();

        context.Log.Write(Verbosity.Normal, LogLevel.Information, "{0}",
            $"Review of run {result.RunId} ({result.Outcome}, recommendation {result.Recommendation}): {result.ReviewPath}");
        if (settings.FailOnFailRecommendation && result.Recommendation == "fail")
        {
            throw new CakeException(MessageCatalogue.ReviewRecommendsFail(result.RunId, result.FailedCommands, result.ReviewPath).ToString());
        }

        return new OrchestratorReviewResult
        {
            TaskId = result.TaskId,
            RunId = result.RunId,
            ManifestPath = result.ManifestPath,
            ReviewPath = result.ReviewPath,
            Outcome = result.Outcome,
            Recommendation = result.Recommendation,
            FailedCommands = result.FailedCommands,
            Annotations = result.Annotations,
            StepSummaryPath = result.StepSummaryPath,
            Markdown = result.Markdown,
        };
    }
}
