namespace Orchestrator.Core.Events.Handles;

/// <summary>
/// A handle's counters, as the manifest's <c>handles[]</c> records them.
/// </summary>
/// <param name="Status"><see cref="HandleStatuses.Open"/>, the final status given to Complete, or <see cref="HandleStatuses.Disposed"/>.</param>
/// <param name="FrameCount">Frames stored now (at most the ring capacity).</param>
/// <param name="LatestSequence">The sequence of the last frame produced; also the number of frames produced.</param>
/// <param name="Dropped">Frames no longer stored because the ring overwrote them (or the handle was pruned or disposed).</param>
/// <param name="SubscriberDrops">Frames dropped from subscriber queues, over all subscribers, because a subscriber read too slowly.</param>
public sealed record HandleInfo(string HandleId, string Kind, string Status, long FrameCount, long LatestSequence, long Dropped, long SubscriberDrops);
