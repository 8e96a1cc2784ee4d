namespace Orchestrator.Core.Events.Handles;

/// <summary>
/// The frames a handle stores at one moment, oldest first, and where they sit in everything it produced.
/// </summary>
/// <param name="FirstSequence">The sequence of <c>Frames[0]</c>; <c>LatestSequence + 1</c> when no frame is stored.</param>
/// <param name="LatestSequence">The last sequence produced, equal to the number of frames produced.</param>
/// <param name="Dropped">Frames produced but no longer stored (<c>LatestSequence - Frames.Count</c>).</param>
public sealed record HandleSnapshot(
    string HandleId,
    string Status,
    long FirstSequence,
    long LatestSequence,
    long Dropped,
    IReadOnlyList<HandleFrame> Frames)
{
    /// <summary>Frames produced over the handle's life, stored or not.</summary>
    public long TotalProduced => LatestSequence;
}
