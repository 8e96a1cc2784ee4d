namespace Orchestrator.Core.Outcomes;

/// <summary>
/// How a pipeline, guardrails or diagnostics run ends for a door: the error it fails with (null
/// when it passes) and the notices it logs. Every door renders this; none decides on its own.
/// </summary>
/// <param name="Error">The failure, or null when the run passes.</param>
/// <param name="Notices">Warnings and messages logged whether or not the run fails (a guardrails <c>needs-review</c>, say).</param>
public sealed record PipelineOutcome(OutcomeMessage? Error, IReadOnlyList<OutcomeMessage> Notices)
{
    public bool Fails => Error is not null;
}
