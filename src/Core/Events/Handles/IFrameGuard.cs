namespace Orchestrator.Core.Events.Handles;

/// <summary>
/// Inspects each frame once, when it is appended, on the producer's thread. The verdict is stored
/// with the frame, so replaying a frame never asks the guard again and a replay sees exactly what
/// live subscribers saw.
/// </summary>
public interface IFrameGuard
{
    FrameVerdict Inspect(string stream, ReadOnlySpan<byte> data);
}
