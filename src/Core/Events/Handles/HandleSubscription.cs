using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Orchestrator.Core.Events.Handles;

/// <summary>
/// One reader of a handle: the replayed frames, then the live ones through a bounded queue that
/// drops its oldest frame when full (the producer never waits for a reader). Read it once, with
/// <see cref="ReadAllAsync"/>; dispose it to stop receiving.
/// </summary>
public sealed class HandleSubscription : IAsyncDisposable
{
    private readonly OutputHandle _handle;
    private readonly Channel<HandleFrame> _live;
    private HandleFrame?[] _replay;
    private int _replayIndex;
    private long _dropped;
    private int _reading;

    internal HandleSubscription(OutputHandle handle, long requestedSequence, long firstSequence, HandleFrame?[] replay, int queueCapacity)
    {
        _handle = handle;
        RequestedSequence = requestedSequence;
        FirstSequence = firstSequence;
        _replay = replay;
        _live = Channel.CreateBounded<HandleFrame>(
            new BoundedChannelOptions(queueCapacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = false,
                // The producer must never run a reader's continuation on its own thread.
                AllowSynchronousContinuations = false,
            },
            _ =>
            {
                Interlocked.Increment(ref _dropped);
                handle.CountSubscriberDrop();
            });
    }

    public string HandleId => _handle.Id;

    /// <summary>The sequence this subscription asked to start from.</summary>
    public long RequestedSequence { get; }

    /// <summary>The first sequence it can deliver: the requested one, or the oldest stored when the ring had moved past it.</summary>
    public long FirstSequence { get; }

    /// <summary>Frames between the requested sequence and <see cref="FirstSequence"/> that the ring no longer held.</summary>
    public long Missed => FirstSequence - RequestedSequence;

    /// <summary>Live frames dropped from this subscription's queue because it was full; delivered sequences then skip them.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Live frames waiting in the queue (at most the queue capacity).</summary>
    internal int QueuedCount => _live.Reader.Count;

    /// <summary>
    /// The replayed frames, then the live ones in sequence order, until the handle completes (or is
    /// disposed) and the queue is drained, or this subscription is disposed.
    /// </summary>
    public async IAsyncEnumerable<HandleFrame> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            throw new InvalidOperationException("A handle subscription is read once, by one reader.");
        }

        while (_replayIndex < _replay.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            HandleFrame frame = _replay[_replayIndex]!;
            // A slow reader must not keep frames the ring has since let go of.
            _replay[_replayIndex++] = null;
            yield return frame;
        }

        _replay = [];
        ChannelReader<HandleFrame> reader = _live.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out HandleFrame? frame))
            {
                yield return frame;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _handle.Unsubscribe(this);
        _live.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    /// <summary>Called by the producer under the handle's lock: never blocks.</summary>
    internal void Offer(HandleFrame frame)
    {
        if (frame.Sequence >= RequestedSequence)
        {
            _live.Writer.TryWrite(frame);
        }
    }

    internal void CompleteLive() => _live.Writer.TryComplete();
}
