namespace Orchestrator.Core.Instructions;

/// <summary>
/// The composed AGENTS.md instructions for one working directory. They are recorded (hash and
/// sources go into each run's manifest), never obeyed: nothing here may relax or otherwise steer
/// the approval policy or the sandbox.
/// </summary>
/// <param name="Text">The files' texts, root to leaf, joined by one blank line (<c>"\n\n"</c>); empty when none was found.</param>
/// <param name="Hash">Lowercase hex SHA-256 of <paramref name="Text"/> as UTF-8.</param>
/// <param name="Sources">The files whose text is in <paramref name="Text"/>, in the same order.</param>
/// <param name="Warnings">One line per file skipped, cut or dropped, each naming its path and why.</param>
/// <param name="Truncated">True when the budget cut a file or dropped one.</param>
public sealed record InstructionSet(
    string Text,
    string Hash,
    IReadOnlyList<InstructionSource> Sources,
    IReadOnlyList<string> Warnings,
    bool Truncated);
