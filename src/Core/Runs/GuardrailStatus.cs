namespace Orchestrator.Core.Runs;

/// <summary>A guardrails run's verdict, in its manifest as <c>guardrailStatus</c>.</summary>
public sealed record GuardrailStatus(GuardrailCounts Counts, GuardrailRecommendation Recommendation, string Summary);
