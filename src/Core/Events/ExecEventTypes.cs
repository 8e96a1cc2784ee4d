namespace Orchestrator.Core.Events;

/// <summary>The event type names, kept exactly as the seed specifies them.</summary>
public static class ExecEventTypes
{
    public const string RunBegin = "run:begin";
    public const string ExecBegin = "exec:begin";
    public const string ExecChunk = "exec:chunk";
    public const string ExecRetry = "exec:retry";
    public const string ExecEnd = "exec:end";
    public const string RunSummary = "run:summary";
    public const string ToolBegin = "tool:begin";
    public const string ToolEnd = "tool:end";
    public const string ApprovalDecision = "approval:decision";
    public const string SessionCreated = "session:created";
    public const string SessionDisposed = "session:disposed";
}
