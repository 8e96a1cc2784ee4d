namespace Orchestrator.Core.Review;

/// <summary>What a review produced.</summary>
public sealed record ReviewResult
{
    public required string TaskId { get; init; }

    public required string RunId { get; init; }

    public required string ManifestPath { get; init; }

    /// <summary><c>review.md</c> beside the manifest.</summary>
    public required string ReviewPath { get; init; }

    public required string Markdown { get; init; }

    /// <summary>The run's status as the manifest records it (<c>succeeded</c>, <c>failed</c>, ...).</summary>
    public required string Outcome { get; init; }

    /// <summary><c>pass</c>, <c>fail</c> or <c>needs-review</c>.</summary>
    public required string Recommendation { get; init; }

    /// <summary><c>guardrails</c> when the manifest's <c>guardrailStatus</c> gave the recommendation, <c>run-status</c> when it was derived from the run's status.</summary>
    public required string RecommendationSource { get; init; }

    /// <summary>Commands that failed or timed out (the last attempt of each tool run only).</summary>
    public required int FailedCommands { get; init; }

    /// <summary>The <c>::error</c> workflow commands produced (empty when not under GitHub Actions).</summary>
    public required IReadOnlyList<string> Annotations { get; init; }

    /// <summary>The <c>$GITHUB_STEP_SUMMARY</c> file the review was appended to, or null.</summary>
    public string? StepSummaryPath { get; init; }
}
