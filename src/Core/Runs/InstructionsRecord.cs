using Orchestrator.Core.Instructions;

namespace Orchestrator.Core.Runs;

/// <summary>
/// The manifest's <c>instructions</c>: which AGENTS.md files were in force for the run's working
/// directory and the hash of their composed text. Recorded so a reviewer can tell which instructions
/// an agent saw; never obeyed: nothing here changes the approval policy or the sandbox.
/// </summary>
/// <param name="Hash">Lowercase hex SHA-256 of the composed text (of the empty string when no file was found).</param>
/// <param name="Bytes">UTF-8 bytes of the composed text, separators included.</param>
/// <param name="Truncated">True when the 32 KiB budget cut a file or dropped one.</param>
/// <param name="Sources">The files, root to leaf, each with the bytes taken and their SHA-256.</param>
public sealed record InstructionsRecord(string Hash, long Bytes, bool Truncated, IReadOnlyList<InstructionSource> Sources)
{
    /// <summary>The warning code of each file skipped, cut or dropped while composing (the message names the file and why).</summary>
    public const string WarningCode = "InstructionWarning";

    public static InstructionsRecord From(InstructionSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return new(set.Hash, System.Text.Encoding.UTF8.GetByteCount(set.Text), set.Truncated, set.Sources);
    }
}
