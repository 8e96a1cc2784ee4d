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
    public ApprovalSubject(ApprovalAction action, ImmutableArray<string> commandTokens, string workingTree, string taskId, string runId, bool isPlainCommand = true)
    {
        IsPlainCommand = isPlainCommand;
        Action = action;
        CommandTokens = commandTokens;
        WorkingTree = workingTree;
        TaskId = taskId;
        RunId = runId;
        Command = string.Join(' ', commandTokens);
        Display = CommandDisplay.Escape(Command);
        Key = ComputeKey(action, commandTokens, workingTree);
    }

    public ApprovalAction Action { get; }

    /// <summary>
    /// False for a shell line the shell would do more with than split and unquote (a second
    /// command, a redirection, an expansion: see <see cref="ShellWords"/>): no rule approves it.
    /// </summary>
    public bool IsPlainCommand { get; }

    /// <summary>The command as tokens: see <see cref="Tokens(CommandSpec)"/>.</summary>
    public ImmutableArray<string> CommandTokens { get; }

    /// <summary>The normalised command as one string (tokens joined by single spaces).</summary>
    public string Command { get; }

    /// <summary>
    /// The command as written to records, events, messages and the cache: the command with secrets
    /// masked, escaped by <see cref="CommandDisplay"/> so a control character shows.
    /// </summary>
    public string Display { get; init; }

    /// <summary>The workspace root the command runs in.</summary>
    public string WorkingTree { get; }

    public string TaskId { get; }

    public string RunId { get; }

    /// <summary>32 hex digits: SHA-256 of action, working tree and tokens, truncated.</summary>
    public string Key { get; }

    /// <summary>The subject of a command: its tokens, whether it is plain, and its display as a person reads it.</summary>
    public static ApprovalSubject For(ApprovalAction action, CommandSpec command, string workingTree, string taskId, string runId)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new ApprovalSubject(action, Tokens(command), workingTree, taskId, runId, IsPlain(command)) { Display = CommandDisplay.Escape(command.Display) };
    }

    /// <summary>
    /// The argv; for a plain shell line, the words the shell makes of it (so <c>npm  ci</c>,
    /// <c>'npm' ci</c> and the argv <c>[npm, ci]</c> are one command); for any other shell line, the
    /// argv that really runs (<c>/bin/sh</c>, <c>-c</c>, the exact line), so its key can never be
    /// that of a plain command it resembles once its newlines or operators are taken for spaces.
    /// </summary>
    public static ImmutableArray<string> Tokens(CommandSpec command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.IsShell && ShellWords.PlainCommand(command.ShellLine!) is { } words ? words : command.Argv;
    }

    /// <summary>Whether a rule or the safe list may judge the command by its tokens: an argv, or a plain shell line.</summary>
    public static bool IsPlain(CommandSpec command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return !command.IsShell || ShellWords.PlainCommand(command.ShellLine!) is not null;
    }

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
