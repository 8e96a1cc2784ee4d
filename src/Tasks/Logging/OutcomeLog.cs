using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Orchestrator.Core.Outcomes;

namespace Orchestrator.Tasks.Logging;

/// <summary>How both tasks render a catalogue message: an error or warning with its code, or a message at high importance.</summary>
internal static class OutcomeLog
{
    public static void LogOutcome(this TaskLoggingHelper log, OutcomeMessage message)
    {
        switch (message.Severity)
        {
            case OutcomeSeverity.Error:
                log.LogError(null, message.Code, null, null, 0, 0, 0, 0, "{0}", message.Text);
                break;
            case OutcomeSeverity.Warning:
                log.LogWarning(null, message.Code, null, null, 0, 0, 0, 0, "{0}", message.Text);
                break;
            default:
                log.LogMessage(MessageImportance.High, "{0}", message.ToString());
                break;
        }
    }
}
