using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Pipelines;

/// <summary>What a resume carries over from the run it resumes: which steps succeeded, and where.</summary>
/// <param name="Resumed">The manifest of the run being resumed.</param>
/// <param name="SucceededIn">Step id → the run it succeeded in (the resumed run, or one it had resumed).</param>
public sealed record ResumePlan(RunManifest Resumed, IReadOnlyDictionary<string, string> SucceededIn)
{
    /// <summary>Reads the steps that succeeded out of a pipeline run's manifest.</summary>
    public static ResumePlan From(RunManifest resumed)
    {
        ArgumentNullException.ThrowIfNull(resumed);
        var succeeded = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var command in resumed.Commands)
        {
            if (command.Status == CommandStatus.Succeeded)
            {
                succeeded[command.Id] = resumed.RunId;
            }
            else if (command.Status == CommandStatus.Skipped && command.SucceededInRunId is { } earlier)
            {
                succeeded.TryAdd(command.Id, earlier);
            }
        }

        // A step's later attempt may have failed after an earlier record succeeded only across runs;
        // within a run the last record of a step is its outcome, so a step whose last record did not
        // succeed (and was not skipped as succeeded) is run again.
        foreach (var last in resumed.Commands.GroupBy(c => c.Id, StringComparer.Ordinal).Select(g => g.MaxBy(c => c.Index)!))
        {
            bool ok = last.Status == CommandStatus.Succeeded || (last.Status == CommandStatus.Skipped && last.SucceededInRunId is not null);
            if (!ok)
            {
                succeeded.Remove(last.Id);
            }
        }

        return new ResumePlan(resumed, succeeded);
    }
}
