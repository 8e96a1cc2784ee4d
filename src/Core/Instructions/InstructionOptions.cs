using System.Collections.Immutable;

namespace Orchestrator.Core.Instructions;

/// <summary>What <see cref="InstructionLoader.Load"/> reads: where from, which names, and how much.</summary>
/// <param name="WorkingDirectory">
/// The directory the command runs in. Its git root (<see cref="Runs.WorkspaceLocator.FindGitRoot"/>) and
/// every directory from there down to it are searched; without a git root only this directory is.
/// A relative path is made absolute against the process's current directory.
/// </param>
public sealed record InstructionOptions(string WorkingDirectory)
{
    /// <summary>32 KiB: enough for real instructions, small enough that a stray file cannot swamp a run.</summary>
    public const int DefaultBudgetBytes = 32 * 1024;

    /// <summary>
    /// Names tried in each directory after <c>AGENTS.override.md</c> and <c>AGENTS.md</c>, in order
    /// (e.g. <c>CLAUDE.md</c>, <c>.github/copilot-instructions.md</c>). Relative paths below the
    /// directory; <c>..</c> segments are refused so a name cannot reach outside it.
    /// </summary>
    public ImmutableArray<string> FallbackNames { get; init; } = [];

    /// <summary>
    /// The most UTF-8 bytes the composed text may have, separators included. The file that crosses it
    /// is cut at a character boundary and later files are dropped.
    /// </summary>
    public int BudgetBytes { get; init; } = DefaultBudgetBytes;

    /// <summary>
    /// The global directory, instead of <c>$ORCHESTRATOR_HOME</c> or <c>$HOME/.orchestrator</c>.
    /// A relative path is taken relative to <see cref="WorkingDirectory"/>.
    /// </summary>
    public string? GlobalDirectory { get; init; }
}
