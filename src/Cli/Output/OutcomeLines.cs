using Orchestrator.Core.Outcomes;

namespace Orchestrator.Cli.Output;

/// <summary>
/// The CLI's rendering of a catalogue message: one stderr line in the form MSBuild prints it, so a
/// CI log reads the same whichever door ran the command.
/// </summary>
internal static class OutcomeLines
{
    public static string Line(OutcomeMessage message) => message.Severity switch
    {
        OutcomeSeverity.Error => $"orchestrator: error {message}",
        OutcomeSeverity.Warning => $"orchestrator: warning {message}",
        _ => $"orchestrator: {message}",
    };

    /// <summary>Writes a pipeline run's notices, then its error, to stderr.</summary>
    public static async Task WriteAsync(PipelineOutcome outcome)
    {
        foreach (var notice in outcome.Notices)
        {
            await Console.Error.WriteLineAsync(Line(notice)).ConfigureAwait(false);
        }

        if (outcome.Error is { } error)
        {
            await Console.Error.WriteLineAsync(Line(error)).ConfigureAwait(false);
        }
    }
}
