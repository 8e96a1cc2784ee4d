namespace Orchestrator.Core.Orchestration.Approvals;

/// <summary>One stored approval: a line of the approval cache file.</summary>
public sealed record ApprovalCacheEntry
{
    public required string Key { get; init; }

    public required ApprovalAction Action { get; init; }

    public required string Command { get; init; }

    public required string WorkingTree { get; init; }

    public required ApprovalScope Scope { get; init; }

    /// <summary>The task it applies to (scope task), or where it was granted.</summary>
    public string? TaskId { get; init; }

    /// <summary>The run it applies to (scope run), or where it was granted.</summary>
    public string? RunId { get; init; }

    public required string Actor { get; init; }

    public required DateTimeOffset GrantedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public string? Reason { get; init; }

    public bool AppliesTo(ApprovalSubject subject, DateTimeOffset now) =>
        Key == subject.Key &&
        (ExpiresAt is null || ExpiresAt > now) &&
        Scope switch
        {
            ApprovalScope.Persistent => true,
            ApprovalScope.Task => TaskId == subject.TaskId,
            ApprovalScope.Run => RunId == subject.RunId,
            _ => false,
        };
}
