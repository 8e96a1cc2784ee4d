namespace Orchestrator.Core.Instructions;

/// <summary>
/// What is at a candidate path. <see cref="Exists"/> with no <see cref="Problem"/> means a regular
/// file (possibly behind symlinks) of <see cref="Size"/> bytes; with a problem, something is there
/// that must not be read, and it still claims its directory's slot so the outcome never depends on
/// which broken file happens to be tried first.
/// </summary>
internal readonly record struct InstructionFileProbe(bool Exists, long Size, string? Problem)
{
    public static InstructionFileProbe Absent => new(false, 0, null);

    public static InstructionFileProbe Regular(long size) => new(true, size, null);

    public static InstructionFileProbe Unusable(string problem) => new(true, 0, problem);
}
