using Orchestrator.Core.Events.Handles;

namespace Orchestrator.Core.Runs;

/// <summary>An output handle of the run (manifest <c>handles[]</c>): how much it produced and kept.</summary>
/// <param name="HandleId">The id to subscribe with (<c>&lt;run-id&gt;/&lt;exec-id&gt;</c> or <c>session/&lt;id&gt;</c>).</param>
/// <param name="Kind"><c>exec</c> or <c>session</c>.</param>
/// <param name="Status"><c>open</c>, the command's final status, or <c>disposed</c>.</param>
/// <param name="FrameCount">Frames stored now (at most the ring size).</param>
/// <param name="LatestSequence">The last frame's sequence (frames produced).</param>
/// <param name="Dropped">Frames no longer stored (the ring overwrote them).</param>
/// <param name="SubscriberDrops">Frames slow subscribers missed (their queue was full).</param>
public sealed record HandleRecord(string HandleId, string Kind, string Status, long FrameCount, long LatestSequence, long Dropped, long SubscriberDrops)
{
    public static HandleRecord From(HandleInfo info) =>
        new(info.HandleId, info.Kind, info.Status, info.FrameCount, info.LatestSequence, info.Dropped, info.SubscriberDrops);
}
