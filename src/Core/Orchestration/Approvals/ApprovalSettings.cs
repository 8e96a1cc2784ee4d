using System.Collections.Immutable;

namespace Orchestrator.Core.Orchestration.Approvals;

/// <summary>How approvals are decided for a run.</summary>
/// <param name="Policy">untrusted, on-failure, on-request or never.</param>
/// <param name="PreApprovals">Configured approvals (source config).</param>
/// <param name="SafeCommands">Extra argv prefixes the untrusted policy runs without asking.</param>
/// <param name="CachePath">The approval cache file; null = <c>&lt;runs root&gt;/approvals.jsonl</c>.</param>
/// <param name="Prompter">Asks a person; only doors with a terminal set one. Never consulted under <c>never</c>.</param>
public sealed record ApprovalSettings(
    ApprovalPolicy Policy,
    ImmutableArray<PreApproval> PreApprovals,
    ImmutableArray<ImmutableArray<string>> SafeCommands,
    string? CachePath = null,
    IApprovalPrompter? Prompter = null)
{
    public static ApprovalSettings Default { get; } = new(ApprovalPolicy.OnFailure, [], []);
}
