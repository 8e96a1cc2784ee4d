using System.Collections.Immutable;

namespace Orchestrator.Core.Orchestration.Approvals;

/// <summary>
/// A configured approval: any command whose tokens start with <see cref="Prefix"/> may take
/// <see cref="Action"/> without asking (source <c>config</c>). The program is compared by name
/// (<c>/usr/bin/dotnet</c> matches <c>dotnet</c>), except one named by a path inside the working
/// tree, which is the checkout's own (<see cref="RuleProgram"/>). A shell line matches only when it is one plain
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
    /// <param name="workingTree">The command's checkout: a program named by a path inside it matches no bare name.</param>
    public bool Matches(ApprovalAction action, ImmutableArray<string> tokens, bool isPlainCommand = true, string? workingTree = null)
    {
        if (!isPlainCommand || action != Action || Prefix.IsEmpty || tokens.Length < Prefix.Length)
        {
            return false;
        }

        if (!RuleProgram.Matches(Prefix[0], tokens[0], workingTree))
        {
            return false;
        }

        for (int i = 1; i < Prefix.Length; i++)
        {
            if (!string.Equals(Prefix[i], tokens[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
