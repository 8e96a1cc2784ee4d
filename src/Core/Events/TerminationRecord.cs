namespace Orchestrator.Core.Events;

/// <summary>How the runtime ended a command's process tree.</summary>
/// <param name="Reason"><c>timeout</c> or <c>cancelled</c>.</param>
/// <param name="Signals">The signals sent to the process group, in order (<c>SIGTERM</c>, then <c>SIGKILL</c> if needed).</param>
/// <param name="Forced">True when SIGKILL was needed.</param>
/// <param name="GracePeriodMs">Time allowed between SIGTERM and SIGKILL.</param>
public sealed record TerminationRecord(string Reason, IReadOnlyList<string> Signals, bool Forced, long GracePeriodMs);
