namespace Orchestrator.Core.Orchestration.Approvals;

/// <summary>The answer to one approval question, as the manifest records it.</summary>
/// <param name="Subject">What was asked.</param>
/// <param name="Approved">Whether it may go ahead.</param>
/// <param name="Source">cache, config, prompt, or denied.</param>
/// <param name="Scope">How long the approval lasts.</param>
/// <param name="Actor">Who approved: the config location, the user who answered, the cache entry's actor; for a denial, the policy.</param>
/// <param name="Reason">Why it was approved, or why it was denied.</param>
/// <param name="Timestamp">When it was decided.</param>
/// <param name="ExpiresAt">When a cached approval stops applying.</param>
public sealed record ApprovalDecision(
    ApprovalSubject Subject,
    bool Approved,
    ApprovalSource Source,
    ApprovalScope Scope,
    string Actor,
    string Reason,
    DateTimeOffset Timestamp,
    DateTimeOffset? ExpiresAt);
