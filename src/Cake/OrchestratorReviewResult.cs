namespace Cake.Orchestrator;

/// <summary>What <see cref="OrchestratorReviewAliases"/> returns.</summary>
public sealed record OrchestratorReviewResult
{
    public required string TaskId { get; init; }

    public required string RunId { get; init; }

    public required string ManifestPath { get; init; }

    /// <summary><c>review.md</c> beside the manifest.</summary>
    public required string ReviewPath { get; init; }

    /// <summary>The run's status (<c>succeeded</c>, <c>failed</c>, ...).</summary>
    public required string Outcome { get; init; }

    /// <summary><c>pass</c>, <c>fail</c> or <c>needs-review</c>.</summary>
    public required string Recommendation { get; init; }

    public required int FailedCommands { get; init; }

    /// <summary>The <c>::error</c> workflow commands written to the log (empty outside GitHub Actions).</summary>
    public required IReadOnlyList<string> Annotations { get; init; }

    public string? StepSummaryPath { get; init; }

    public required string Markdown { get; init; }
}
