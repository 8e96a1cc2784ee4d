namespace Orchestrator.Core.Review;

/// <summary>A manifest rendered: the Markdown and what a door needs to report the run.</summary>
public sealed record RenderedReview
{
    public required string TaskId { get; init; }

    public required string RunId { get; init; }

    public required string Markdown { get; init; }

    public required string Outcome { get; init; }

    public required string Recommendation { get; init; }

    public required string RecommendationSource { get; init; }

    /// <summary>One <c>(title, message)</c> per failed or timed-out command (last attempt of each tool run).</summary>
    public required IReadOnlyList<(string Title, string Message)> Failures { get; init; }
}
