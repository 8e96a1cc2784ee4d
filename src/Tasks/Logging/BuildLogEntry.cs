using Microsoft.Build.Framework;

namespace Orchestrator.Tasks.Logging;

/// <summary>One thing to write to the build log, produced on a process thread and logged on the task's thread.</summary>
internal readonly record struct BuildLogEntry(BuildLogEntryKind Kind, string Text, MessageImportance Importance);

internal enum BuildLogEntryKind
{
    Message,
    Error,
    CommandLine,
}
