using System.Collections.Immutable;

namespace Orchestrator.Core.Orchestration.Approvals;

/// <summary>
/// A configured approval: any command whose tokens start with <see cref="Prefix"/> may take
/// <see cref="Action"/> without asking (source <c>config</c>).
/// </summary>
/// <param name="Prefix">Leading tokens, e.g. <c>[dotnet, restore]</c>.</param>
/// <param name="Action">What is pre-approved.</param>
/// <param name="Scope">Recorded with the decision (config rules always apply while configured).</param>
/// <param name="Reason">Why, as written in the configuration.</param>
/// <param name="Origin">Where it was configured (<c>orchestrator.yaml:14:7</c>), the decision's actor.</param>
public sealed record PreApproval(ImmutableArray<string> Prefix, ApprovalAction Action, ApprovalScope Scope, string? Reason, string Origin)
{
    public bool Matches(ApprovalAction action, ImmutableArray<string> tokens)
    {
        if (action != Action || Prefix.IsEmpty || tokens.Length < Prefix.Length)
        {
            return false;
        }

        for (int i = 0; i < Prefix.Length; i++)
        {
            if (!string.Equals(Prefix[i], tokens[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
