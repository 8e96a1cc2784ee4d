namespace Orchestrator.Core.Runs;

/// <summary>The guardrail steps of a run by outcome (a sub-pipeline counts as one step).</summary>
public sealed record GuardrailCounts(int Succeeded, int Failed, int Skipped, int TimedOut, int Cancelled);
