namespace Orchestrator.Core.Orchestration.Approvals;

/// <summary>
/// Which program a rule or the safe list may take a command's first word for. A bare name is the
/// program PATH finds; <c>/usr/bin/dotnet</c> is <c>dotnet</c> too. But a program named by a path
/// inside the command's checkout (<c>./pr-tools/dotnet</c>, <c>bin/cat</c>, an absolute path under
/// the working tree) is whatever the pull request put there: it matches no bare name.
/// </summary>
internal static class RuleProgram
{
    /// <summary>The name bare rule programs are compared with, or null when the program is the checkout's own.</summary>
    public static string? NameFor(string program, string? workingTree)
    {
        if (!program.Contains('/'))
        {
            return program;
        }

        if (!Path.IsPathFullyQualified(program))
        {
            // Relative to the working directory, which is inside the checkout.
            return null;
        }

        string full = Path.GetFullPath(program);
        string? root = workingTree is null ? null : Path.GetFullPath(workingTree).TrimEnd('/') + "/";
        return root is not null && full.StartsWith(root, StringComparison.Ordinal) ? null : Path.GetFileName(full);
    }

    /// <summary>Whether a command's first word is the program a rule names: the same path, or the same bare name outside the checkout.</summary>
    public static bool Matches(string ruleProgram, string program, string? workingTree) =>
        ruleProgram.Contains('/')
            ? string.Equals(Path.GetFullPath(ruleProgram), Path.IsPathFullyQualified(program) ? Path.GetFullPath(program) : null, StringComparison.Ordinal)
            : string.Equals(ruleProgram, NameFor(program, workingTree), StringComparison.Ordinal);
}
