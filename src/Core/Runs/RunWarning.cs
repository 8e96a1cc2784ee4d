namespace Orchestrator.Core.Runs;

/// <summary>Something the run noticed and worked around, e.g. an unreadable approval cache set aside.</summary>
/// <param name="Code">Stable: <c>ApprovalCacheCorrupt</c>, <c>WritableRootMissing</c>, ...</param>
/// <param name="Message">What happened and what was done about it.</param>
public sealed record RunWarning(string Code, string Message);
