using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Orchestration.Approvals;

/// <summary>
/// What is being approved: an action on a normalised command in a working tree. The key hashes
/// those three, so an approval for <c>npm ci</c> escalating in one checkout is not one for another
/// checkout, another command or another action.
/// </summary>
public sealed record ApprovalSubject
{
    public ApprovalSubject(ApprovalAction action, ImmutableArray<string> commandTokens, string workingTree, string taskId, string runId, bool fromShellLine = false)
    {
        FromShellLine = fromShellLine;
        Action = action;
        CommandTokens = commandTokens;
        WorkingTree = workingTree;
        TaskId = taskId;
        RunId = runId;
        Command = string.Join(' ', commandTokens);
        Display = Command;
        Key = ComputeKey(action, commandTokens, workingTree);
    }

    public ApprovalAction Action { get; }

    /// <summary>The tokens come from splitting a shell line (so they may hide operators a prefix must not approve).</summary>
    public bool FromShellLine { get; }

    /// <summary>The command as tokens: the argv, or a shell line split on whitespace.</summary>
    public ImmutableArray<string> CommandTokens { get; }

    /// <summary>The normalised command as one string (tokens joined by single spaces).</summary>
    public string Command { get; }

    /// <summary>The command as written to records, events, messages and the cache: <see cref="Command"/> with secrets masked.</summary>
    public string Display { get; init; }

    /// <summary>The workspace root the command runs in.</summary>
    public string WorkingTree { get; }

    public string TaskId { get; }

    public string RunId { get; }

    /// <summary>32 hex digits: SHA-256 of action, working tree and tokens, truncated.</summary>
    public string Key { get; }

    public static ImmutableArray<string> Tokens(CommandSpec command) =>
        command.IsShell
            ? [.. command.ShellLine!.Split((char[])[' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)]
            : command.Argv;

    private static string ComputeKey(ApprovalAction action, ImmutableArray<string> tokens, string workingTree)
    {
        var text = new StringBuilder();
        text.Append(action == ApprovalAction.Run ? "run" : "escalate").Append('\0').Append(workingTree);
        foreach (string token in tokens)
        {
            text.Append('\0').Append(token);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }
}
