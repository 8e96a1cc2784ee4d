namespace Orchestrator.Core.Outcomes;

/// <summary>
/// The one classification of a finished command that every door renders: its kind, the error a
/// door fails with (null when it does not fail), the notices it logs besides, and the CLI's exit
/// code. Built by <see cref="CommandOutcomes.Of"/>; doors never classify again.
/// </summary>
public sealed record CommandOutcome(OutcomeKind Kind, OutcomeMessage? Error, IReadOnlyList<OutcomeMessage> Notices, int CliExitCode)
{
    public bool Fails => Error is not null;
}
