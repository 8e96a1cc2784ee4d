namespace Orchestrator.Core.Events.Handles;

/// <summary>
/// One frame of a handle's output. <see cref="Data"/> is what the guard let through: the produced
/// bytes (<see cref="GuardDecision.Allow"/>), the replacement (<see cref="GuardDecision.Redact"/>)
/// or nothing (<see cref="GuardDecision.Block"/>). The bytes are owned by the frame and never change.
/// </summary>
/// <param name="Sequence">1 for the handle's first frame, then contiguous (blocked frames included).</param>
/// <param name="Stream">The stream that produced it, e.g. <c>stdout</c>, <c>stderr</c>, <c>pty</c>.</param>
public sealed record HandleFrame(long Sequence, string Stream, ReadOnlyMemory<byte> Data, GuardDecision Decision, DateTimeOffset Timestamp)
{
    /// <summary>Output that went straight to the raw log (kernel splice) and so is not in <see cref="Data"/>; 0 normally.</summary>
    public long ElidedBytes { get; init; }
}
