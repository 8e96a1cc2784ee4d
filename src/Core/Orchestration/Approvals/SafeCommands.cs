using System.Collections.Immutable;
using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Orchestration.Approvals;

/// <summary>
/// The commands the untrusted policy runs without asking: ones that only read (and run sandboxed
/// anyway). A shell line counts as safe only when every part of it (split on ;, &amp;&amp;, ||, |)
/// is a safe command and it redirects nothing into files, substitutes no commands, and has no
/// background jobs.
/// </summary>
public static class SafeCommands
{
    private static readonly ImmutableArray<ImmutableArray<string>> BuiltIn =
    [
        ["true"], ["false"], ["echo"], ["printf"], ["pwd"], ["ls"], ["cat"], ["head"], ["tail"], ["wc"], ["sort"], ["uniq"],
        ["grep"], ["egrep"], ["fgrep"], ["rg"], ["cut"], ["tr"], ["diff"], ["cmp"], ["stat"], ["file"], ["which"], ["whoami"],
        ["id"], ["uname"], ["date"], ["env"], ["printenv"], ["basename"], ["dirname"], ["realpath"], ["readlink"], ["test"], ["["],
        ["sha256sum"], ["md5sum"], ["du"], ["df"], ["nproc"], ["tree"],
        ["git", "status"], ["git", "log"], ["git", "diff"], ["git", "show"], ["git", "rev-parse"], ["git", "branch"],
        ["git", "ls-files"], ["git", "describe"], ["git", "remote", "-v"],
        ["dotnet", "--info"], ["dotnet", "--version"], ["dotnet", "--list-sdks"], ["dotnet", "--list-runtimes"],
        ["node", "--version"], ["npm", "--version"], ["python3", "--version"], ["java", "-version"],
    ];

    private static readonly string[] Unsafe = ["$(", "`", ">", "<(", "&&&"];

    public static bool IsSafe(CommandSpec command, IReadOnlyList<ImmutableArray<string>>? extra = null)
    {
        if (!command.IsShell)
        {
            return IsSafeTokens(command.Argv, extra);
        }

        string line = command.ShellLine!;
        if (Unsafe.Any(u => line.Contains(u, StringComparison.Ordinal)) || line.Contains('\n') || HasBackgroundJob(line))
        {
            return false;
        }

        foreach (string part in line.Split(["&&", "||", ";", "|"], StringSplitOptions.None))
        {
            var tokens = part.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToImmutableArray();
            if (tokens.IsEmpty || !IsSafeTokens(tokens, extra))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasBackgroundJob(string line)
    {
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '&' && (i + 1 >= line.Length || line[i + 1] != '&') && (i == 0 || line[i - 1] != '&'))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSafeTokens(ImmutableArray<string> tokens, IReadOnlyList<ImmutableArray<string>>? extra)
    {
        string program = Path.GetFileName(tokens[0]);
        var normalized = tokens.SetItem(0, program);
        if (program == "find" && normalized.Any(t => t is "-exec" or "-execdir" or "-delete" or "-ok" or "-fprint" or "-fprintf" or "-fls"))
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
