using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Orchestration.Approvals;

/// <summary>
/// Decides one approval question in a fixed order: a configured pre-approval, then a cached one,
/// then (only where a person can answer and the policy lets us ask) a prompt. A prompt answer
/// other than "once" is stored in the cache. Everything else is a denial with the reason.
/// </summary>
public sealed class ApprovalService(ApprovalSettings settings, ApprovalCache cache, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public ApprovalSettings Settings => settings;

    public ApprovalCache Cache => cache;

    public Task<ApprovalDecision> DecideAsync(ApprovalSubject subject, string why, CancellationToken cancellationToken) =>
        DecideAsync(subject, why, null, cancellationToken);

    /// <param name="policy">A command's own policy (a pipeline step's <c>approvalPolicy</c>) instead of the settings'.</param>
    public async Task<ApprovalDecision> DecideAsync(ApprovalSubject subject, string why, ApprovalPolicy? policy, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        foreach (var rule in settings.PreApprovals)
        {
            if (rule.Matches(subject.Action, subject.CommandTokens, subject.IsPlainCommand, subject.WorkingTree))
            {
                return new ApprovalDecision(subject, true, ApprovalSource.Config, rule.Scope, rule.Origin,
                    rule.Reason ?? $"pre-approved by the rule [{CommandDisplay.Escape(string.Join(' ', rule.Prefix))}]", now, null);
            }
        }

        if (cache.Find(subject, now) is ApprovalCacheEntry cached)
        {
            return new ApprovalDecision(subject, true, ApprovalSource.Cache, cached.Scope, cached.Actor,
                cached.Reason ?? $"approved on {cached.GrantedAt:u}", now, cached.ExpiresAt);
        }

        ApprovalPolicy effective = policy ?? settings.Policy;
        if (effective == ApprovalPolicy.Never)
        {
            return Denied(subject, now, effective,
                $"{why}; the never policy escalates only with an existing approval, and there is none for '{subject.Display}' " +
                $"(add an approvals rule to orchestrator.yaml, or grant it in the approval cache {cache.Path})");
        }

        if (settings.Prompter is IApprovalPrompter prompter &&
            await prompter.AskAsync(subject, why, cancellationToken).ConfigureAwait(false) is ApprovalPromptAnswer answer)
        {
            if (!answer.Approved)
            {
                return new ApprovalDecision(subject, false, ApprovalSource.Denied, ApprovalScope.Once, answer.Actor, $"declined at the prompt: {why}", now, null);
            }

            cache.Grant(subject, answer.Scope, answer.Actor, why, now);
            return new ApprovalDecision(subject, true, ApprovalSource.Prompt, answer.Scope, answer.Actor, why, now, null);
        }

        return Denied(subject, now, effective,
            $"{why}; there is no approval for '{subject.Display}' in the configuration or the approval cache, and no terminal to ask " +
            $"(add an approvals rule to orchestrator.yaml, or grant it in the approval cache {cache.Path})");
    }

    private static ApprovalDecision Denied(ApprovalSubject subject, DateTimeOffset now, ApprovalPolicy policy, string reason) =>
        new(subject, false, ApprovalSource.Denied, ApprovalScope.Once, $"policy:{Runs.WireNames.Of(policy)}", reason, now, null);
}
