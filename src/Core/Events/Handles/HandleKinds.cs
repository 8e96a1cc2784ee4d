namespace Orchestrator.Core.Events.Handles;

/// <summary>The kinds of output handles: one per exec attempt, one per interactive session.</summary>
public static class HandleKinds
{
    public const string Exec = "exec";

    public const string Session = "session";
}
