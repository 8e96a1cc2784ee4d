namespace Orchestrator.Core.Events.Handles;

/// <summary>
/// A frame guard's answer for one frame: the decision and, for <see cref="GuardDecision.Redact"/>,
/// the bytes to store instead (the handle copies them, so a guard may reuse its buffer).
/// </summary>
public readonly record struct FrameVerdict(GuardDecision Decision, ReadOnlyMemory<byte> Replacement)
{
    public static FrameVerdict Allow => new(GuardDecision.Allow, ReadOnlyMemory<byte>.Empty);

    public static FrameVerdict Block => new(GuardDecision.Block, ReadOnlyMemory<byte>.Empty);

    public static FrameVerdict Redact(ReadOnlyMemory<byte> replacement) => new(GuardDecision.Redact, replacement);
}
