namespace Orchestrator.Core.Exec;

/// <summary>Why the runtime ended a process itself.</summary>
public enum TerminationReason
{
    Timeout,
    Cancelled,
}
