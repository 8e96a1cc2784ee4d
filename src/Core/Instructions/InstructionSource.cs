namespace Orchestrator.Core.Instructions;

/// <summary>One file that contributed to an <see cref="InstructionSet"/>.</summary>
/// <param name="Path">The absolute path it was found at (symlinks are not resolved, so this is the name the user sees).</param>
/// <param name="Scope">One of <see cref="InstructionScope"/>: <c>global</c>, <c>repo</c> or <c>directory</c>.</param>
/// <param name="Bytes">How many bytes of the file are in the composed text.</param>
/// <param name="Sha256">
/// Lowercase hex SHA-256 of exactly the <paramref name="Bytes"/> bytes taken: the whole file when it
/// was not cut, the first <paramref name="Bytes"/> bytes when it was (never the few bytes read past
/// the cut to find a character boundary), so <c>head -c Bytes file | sha256sum</c> reproduces it.
/// </param>
/// <param name="Truncated">True when the file was cut because it crossed the budget.</param>
public sealed record InstructionSource(string Path, string Scope, long Bytes, string Sha256, bool Truncated);
