using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Commands.Sessions;

/// <summary>What is known about a session (the manifest's <c>sessions[]</c> entries).</summary>
/// <param name="Id">The session id.</param>
/// <param name="ShellPid">The shell's pid.</param>
/// <param name="Shell">The shell program.</param>
/// <param name="Status"><c>idle</c>, <c>running</c>, <c>exited</c> (the shell ended) or <c>disposed</c>.</param>
/// <param name="CreatedAt">When it started.</param>
/// <param name="LastUsedAt">When it last ran a command.</param>
/// <param name="CommandCount">Commands run in it.</param>
/// <param name="Terminal">Its terminal size.</param>
/// <param name="Sandboxed">Whether the shell runs in the sandbox.</param>
/// <param name="Environment">The environment it started with; secret-looking values as <c>***</c>.</param>
public sealed record SessionInfo(
    string Id,
    int ShellPid,
    string Shell,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUsedAt,
    int CommandCount,
    TerminalSize Terminal,
    bool Sandboxed,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Why the session can no longer run commands; null while it can.</summary>
    public string? EndReason { get; init; }
}
