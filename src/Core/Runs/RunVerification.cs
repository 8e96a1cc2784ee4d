namespace Orchestrator.Core.Runs;

/// <summary>What <see cref="RunVerifier.Check"/> found.</summary>
/// <param name="Problems">Each a sentence naming the file (and line); empty when the record is sound.</param>
/// <param name="Incomplete">Why the run never completed (no terminal status, no <c>run:summary</c>); null when it did.</param>
public sealed record RunVerification(IReadOnlyList<string> Problems, string? Incomplete)
{
    public bool IsValid => Problems.Count == 0;

    public bool IsComplete => Incomplete is null;
}
