using System.Collections.Immutable;

namespace Orchestrator.Core.Orchestration.Approvals;

/// <summary>
/// A configured approval: any command whose tokens start with <see cref="Prefix"/> may take
/// <see cref="Action"/> without asking (source <c>config</c>). The program is compared by name
/// (<c>/usr/bin/dotnet</c> matches <c>dotnet</c>). A shell line matches only when it is one plain
/// command (<see cref="Exec.ShellWords"/>): a prefix must not approve what a newline, <c>;</c>,
/// <c>&amp;&amp;</c>, pipe, redirection, substitution or expansion would add to it.
/// </summary>
/// <param name="Prefix">Leading tokens, e.g. <c>[dotnet, restore]</c>.</param>
/// <param name="Action">What is pre-approved.</param>
/// <param name="Scope">Recorded with the decision (config rules always apply while configured).</param>
/// <param name="Reason">Why, as written in the configuration.</param>
/// <param name="Origin">Where it was configured (<c>orchestrator.yaml:14:7</c>), the decision's actor.</param>
public sealed record PreApproval(ImmutableArray<string> Prefix, ApprovalAction Action, ApprovalScope Scope, string? Reason, string Origin)
{
    /// <param name="isPlainCommand">False for a shell line that is not one plain command: it never matches.</param>
    public bool Matches(ApprovalAction action, ImmutableArray<string> tokens, bool isPlainCommand = true)
    {
        if (!isPlainCommand || action != Action || Prefix.IsEmpty || tokens.Length < Prefix.Length)
        {
            return false;
        }

        for (int i = 0; i < Prefix.Length; i++)
        {
            string token = i == 0 ? Path.GetFileName(tokens[0]) : tokens[i];
            string expected = i == 0 ? Path.GetFileName(Prefix[0]) : Prefix[i];
            if (!string.Equals(expected, token, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
