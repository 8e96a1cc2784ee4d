using System.Collections.Immutable;
using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Orchestration.Approvals;

/// <summary>
/// The commands the untrusted policy runs without asking: ones that only read (and run sandboxed
/// anyway). A shell line counts as safe only when it is one plain command (<see cref="ShellWords"/>)
/// and that command is safe: no second command, pipe, redirection, substitution or expansion.
/// </summary>
public static class SafeCommands
{
    private static readonly ImmutableArray<ImmutableArray<string>> BuiltIn =
    [
        ["true"], ["false"], ["echo"], ["printf"], ["pwd"], ["ls"], ["cat"], ["head"], ["tail"], ["wc"], ["sort"], ["uniq"],
        ["grep"], ["egrep"], ["fgrep"], ["rg"], ["cut"], ["tr"], ["diff"], ["cmp"], ["stat"], ["file"], ["which"], ["whoami"],
        ["id"], ["uname"], ["date"], ["printenv"], ["basename"], ["dirname"], ["realpath"], ["readlink"], ["test"], ["["],
        ["sha256sum"], ["md5sum"], ["du"], ["df"], ["nproc"], ["tree"],
        ["git", "status"], ["git", "log"], ["git", "diff"], ["git", "show"], ["git", "rev-parse"], ["git", "branch"],
        ["git", "ls-files"], ["git", "describe"], ["git", "remote", "-v"],
        ["dotnet", "--info"], ["dotnet", "--version"], ["dotnet", "--list-sdks"], ["dotnet", "--list-runtimes"],
        ["node", "--version"], ["npm", "--version"], ["python3", "--version"], ["java", "-version"],
    ];

    /// <param name="workingTree">The command's checkout: a program named by a path inside it is never safe.</param>
    public static bool IsSafe(CommandSpec command, IReadOnlyList<ImmutableArray<string>>? extra = null, string? workingTree = null)
    {
        ArgumentNullException.ThrowIfNull(command);

        // A shell line is judged by the argv the shell makes of it, and only when that is all the
        // shell does: the same rule as config approvals, so no separator or expansion rides along.
        return command.IsShell
            ? ShellWords.PlainCommand(command.ShellLine!) is { } words && IsSafeTokens(words, extra, workingTree)
            : IsSafeTokens(command.Argv, extra, workingTree);
    }

    private static bool IsSafeTokens(ImmutableArray<string> tokens, IReadOnlyList<ImmutableArray<string>>? extra, string? workingTree)
    {
        if (RuleProgram.NameFor(tokens[0], workingTree) is not string program)
        {
            return false;
        }

        var normalized = tokens.SetItem(0, program);
        if (WritesDespiteItsName(normalized))
        {
            return false;
        }

        if (program == "find")
        {
            return true;
        }

        foreach (var prefix in extra is null ? BuiltIn : BuiltIn.Concat(extra))
        {
            if (StartsWith(normalized, prefix))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The options that turn a reading command into a writing (or command-running) one.</summary>
    private static bool WritesDespiteItsName(ImmutableArray<string> t)
    {
        string[] args = [.. t.Skip(1)];
        int operands = args.Count(a => !a.StartsWith('-'));
        return t[0] switch
        {
            "find" => args.Any(a => a is "-exec" or "-execdir" or "-ok" or "-okdir" or "-delete" or "-fprint" or "-fprint0" or "-fprintf" or "-fls"),
            "sort" => args.Any(a => a.StartsWith("-o", StringComparison.Ordinal) || a.StartsWith("--output", StringComparison.Ordinal)),
            "tree" => args.Any(a => a == "-o" || a.StartsWith("--output", StringComparison.Ordinal)),
            "uniq" => operands > 1, // uniq IN OUT writes OUT
            "git" when args.Length > 0 && args[0] == "diff" => args.Any(a => a.StartsWith("--output", StringComparison.Ordinal)),
            "git" when args.Length > 0 && args[0] == "branch" =>
                !args.Skip(1).All(a => a is "-a" or "-r" or "-v" or "-vv" or "--all" or "--remotes" or "--list" or "--show-current" or "--verbose"),
            _ => false,
        };
    }

    private static bool StartsWith(ImmutableArray<string> tokens, ImmutableArray<string> prefix)
    {
        if (tokens.Length < prefix.Length)
        {
            return false;
        }

        for (int i = 0; i < prefix.Length; i++)
        {
            if (!string.Equals(tokens[i], prefix[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
