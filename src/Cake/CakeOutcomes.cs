using Cake.Core;
using Cake.Core.Diagnostics;
using Orchestrator.Core.Outcomes;

namespace Cake.Orchestrator;

/// <summary>How the aliases render the Core's outcomes: notices in the Cake log, the error as a <see cref="CakeException"/>.</summary>
internal static class CakeOutcomes
{
    /// <summary>Logs one catalogue message at the level its severity says (minimal verbosity: always shown).</summary>
    public static void Log(ICakeContext context, OutcomeMessage message) =>
        context.Log.Write(Verbosity.Minimal, message.Severity switch
        {
            OutcomeSeverity.Error => LogLevel.Error,
            OutcomeSeverity.Warning => LogLevel.Warning,
            _ => LogLevel.Information,
        }, "{0}", message.ToString());

    /// <summary>Logs the notices, then throws the error, or with <paramref name="ignoreFailure"/> logs it as a warning.</summary>
    public static void Render(ICakeContext context, PipelineOutcome outcome, bool ignoreFailure)
    {
        foreach (var notice in outcome.Notices)
        {
            Log(context, notice);
        }

        if (outcome.Error is { } error)
        {
            if (!ignoreFailure)
            {
                throw new CakeException(error.ToString());
            }

            Log(context, error with { Severity = OutcomeSeverity.Warning });
        }
    }
}
