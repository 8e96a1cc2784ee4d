namespace Orchestrator.Core.Events.Handles;

/// <summary>
/// The output of one exec or session as numbered frames: the newest ones kept in a ring for replay,
/// every frame pushed to the live subscribers. One producer appends (from any thread); any number
/// of subscribers read concurrently. Lifecycle: open, then completed (with a final status) or
/// disposed; appending after that is an error.
/// </summary>
public sealed class OutputHandle : IDisposable
{
    private readonly Lock _gate = new();
    private readonly HandleFrame?[] _ring;
    private readonly int _queueCapacity;
    private readonly int _maxFrameBytes;
    private readonly IFrameGuard? _guard;
    private readonly TimeProvider _time;
    private readonly Action<OutputHandle>? _onEnded;
    private readonly List<HandleSubscription> _subscribers = [];
    private long _latest;
    private int _stored;
    private long _subscriberDrops;
    private string _status = HandleStatuses.Open;
    private bool _ended;
    private bool _disposed;

    internal OutputHandle(string id, string kind, long openOrder, HandleOptions options, Action<OutputHandle>? onEnded = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        options.Validate();
        Id = id;
        Kind = kind;
        OpenOrder = openOrder;
        _ring = new HandleFrame?[options.RingCapacity];
        _queueCapacity = options.SubscriberQueueCapacity;
        _maxFrameBytes = options.MaxFrameBytes;
        _guard = options.Guard;
        _time = options.Time;
        _onEnded = onEnded;
    }

    public string Id { get; }

    public string Kind { get; }

    public HandleInfo Info
    {
        get
        {
            lock (_gate)
            {
                return new HandleInfo(Id, Kind, _status, _stored, _latest, _latest - _stored, Interlocked.Read(ref _subscriberDrops));
            }
        }
    }

    /// <summary>The sequence of the last frame produced (0 before the first).</summary>
    public long LatestSequence
    {
        get
        {
            lock (_gate)
            {
                return _latest;
            }
        }
    }

    internal long OpenOrder { get; }

    /// <summary>Where the service keeps this handle in its least-recently-ended list; guarded by the service's lock.</summary>
    internal LinkedListNode<OutputHandle>? EndedNode { get; set; }

    internal bool IsEnded
    {
        get
        {
            lock (_gate)
            {
                return _ended;
            }
        }
    }

    /// <summary>
    /// Guard decisions this handle still holds. They live inside the stored frames, so this counts
    /// the ring's occupied slots: a decision can only outlive its frame if the ring leaks.
    /// </summary>
    internal int RetainedDecisionCount
    {
        get
        {
            lock (_gate)
            {
                int count = 0;
                foreach (HandleFrame? frame in _ring)
                {
                    count += frame is null ? 0 : 1;
                }

                return count;
            }
        }
    }

    internal int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>
    /// Stores a copy of <paramref name="data"/> (or what the guard made of it) as the next frame and
    /// offers it to every subscriber without waiting for any of them.
    /// </summary>
    /// <returns>
    /// The frame's sequence, or 0 when the guard blocked it. A blocked frame still takes the next
    /// sequence (stored as a marker without data, so subscribers see where it was); it is then
    /// <see cref="LatestSequence"/>.
    /// </returns>
    public long Append(string stream, ReadOnlySpan<byte> data) => Append(stream, data, redacted: false);

    /// <summary>
    /// Like <see cref="Append(string, ReadOnlySpan{byte})"/>, for a producer that already masked
    /// secrets in <paramref name="data"/> (a redaction that needed context across frames, such as
    /// a secret split between two reads): when <paramref name="redacted"/> is true the frames are
    /// kept with the decision <see cref="GuardDecision.Redact"/> unless the guard blocks them.
    /// </summary>
    public long Append(string stream, ReadOnlySpan<byte> data, bool redacted)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);

        // Bounded frames keep a handle's memory bounded (ring x frame size) whatever a read returned.
        while (data.Length > _maxFrameBytes)
        {
            AppendFrame(stream, data[.._maxFrameBytes], redacted);
            data = data[_maxFrameBytes..];
        }

        return AppendFrame(stream, data, redacted);
    }

    private long AppendFrame(string stream, ReadOnlySpan<byte> data, bool redacted)
    {
        // The guard runs outside the lock: it may be slow, and subscribers and snapshot readers
        // must not wait for it. With one producer per handle, order is still the append order.
        FrameVerdict verdict = Inspect(stream, data);
        if (redacted && verdict.Decision == GuardDecision.Allow)
        {
            byte[] masked = data.ToArray();
            return Store(sequence => new HandleFrame(sequence, stream, masked, GuardDecision.Redact, _time.GetUtcNow()));
        }

        byte[] bytes = verdict.Decision switch
        {
            GuardDecision.Allow => data.ToArray(),
            GuardDecision.Redact => verdict.Replacement.ToArray(),
            _ => [],
        };

        long appended = Store(sequence => new HandleFrame(sequence, stream, bytes, verdict.Decision, _time.GetUtcNow()));
        return verdict.Decision == GuardDecision.Block ? 0 : appended;
    }

    /// <summary>
    /// Records that <paramref name="bytes"/> of output went straight from the process to its raw
    /// log (spliced in the kernel, past the event budget) without passing through this process: a
    /// frame without data whose <see cref="HandleFrame.ElidedBytes"/> says how much, so a viewer
    /// knows what to read from the log instead.
    /// </summary>
    public long AppendElided(string stream, long bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1);
        return Store(sequence => new HandleFrame(sequence, stream, ReadOnlyMemory<byte>.Empty, GuardDecision.Allow, _time.GetUtcNow()) { ElidedBytes = bytes });
    }

    private long Store(Func<long, HandleFrame> create)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_ended)
            {
                throw new InvalidOperationException($"The handle '{Id}' is completed ({_status}); no more frames can be appended.");
            }

            long sequence = ++_latest;
            var frame = create(sequence);
            _ring[(sequence - 1) % _ring.Length] = frame;
            if (_stored < _ring.Length)
            {
                _stored++;
            }

            foreach (HandleSubscription subscription in _subscribers)
            {
                subscription.Offer(frame);
            }

            return sequence;
        }
    }

    /// <summary>
    /// Ends the handle with its final status (e.g. <c>succeeded</c>, <c>failed</c>). Subscribers
    /// receive what is already queued for them and then their enumeration ends. Only the first call counts.
    /// </summary>
    public void Complete(string status)
    {
        ArgumentException.ThrowIfNullOrEmpty(status);
        HandleSubscription[] subscribers;
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            _status = status;
            subscribers = [.. _subscribers];
            _subscribers.Clear();
        }

        foreach (HandleSubscription subscription in subscribers)
        {
            subscription.CompleteLive();
        }

        _onEnded?.Invoke(this);
    }

    /// <summary>The frames stored now, oldest first. Costs O(frames stored).</summary>
    public HandleSnapshot Snapshot()
    {
        lock (_gate)
        {
            long first = _latest - _stored + 1;
            var frames = new HandleFrame[_stored];
            for (int i = 0; i < frames.Length; i++)
            {
                frames[i] = _ring[(first + i - 1) % _ring.Length]!;
            }

            return new HandleSnapshot(Id, _status, first, _latest, _latest - _stored, frames);
        }
    }

    /// <summary>
    /// Replays the stored frames from <paramref name="fromSequence"/> on, then continues with live
    /// frames, with no duplicate and no hole between the two. When the ring no longer holds
    /// <paramref name="fromSequence"/>, replay starts at the oldest stored frame and
    /// <see cref="HandleSubscription.Missed"/> says how many frames were skipped. Costs
    /// O(frames replayed), whatever the number of frames ever produced.
    /// </summary>
    public HandleSubscription Subscribe(long fromSequence = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromSequence, 1);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            long oldest = _latest - _stored + 1;
            long first = Math.Max(fromSequence, oldest);
            var replay = new HandleFrame?[Math.Max(0, _latest - first + 1)];
            for (int i = 0; i < replay.Length; i++)
            {
                replay[i] = _ring[(first + i - 1) % _ring.Length];
            }

            var subscription = new HandleSubscription(this, fromSequence, first, replay, _queueCapacity);
            if (_ended)
            {
                subscription.CompleteLive();
            }
            else
            {
                _subscribers.Add(subscription);
            }

            return subscription;
        }
    }

    /// <summary>
    /// Ends the handle if it is still open (status <c>disposed</c>), ends its subscriptions after
    /// what is queued for them, and releases the stored frames.
    /// </summary>
    public void Dispose()
    {
        HandleSubscription[] subscribers;
        bool wasOpen;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            wasOpen = !_ended;
            if (wasOpen)
            {
                _status = HandleStatuses.Disposed;
                _ended = true;
            }

            subscribers = [.. _subscribers];
            _subscribers.Clear();
            ReleaseFramesLocked();
        }

        foreach (HandleSubscription subscription in subscribers)
        {
            subscription.CompleteLive();
        }

        if (wasOpen)
        {
            _onEnded?.Invoke(this);
        }
    }

    /// <summary>Drops the stored frames (and with them their guard decisions) of a handle the service pruned.</summary>
    internal void ReleaseFrames()
    {
        lock (_gate)
        {
            ReleaseFramesLocked();
        }
    }

    internal void Unsubscribe(HandleSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscription);
        }
    }

    internal void CountSubscriberDrop() => Interlocked.Increment(ref _subscriberDrops);

    private void ReleaseFramesLocked()
    {
        Array.Clear(_ring);
        _stored = 0;
    }

    private FrameVerdict Inspect(string stream, ReadOnlySpan<byte> data)
    {
        if (_guard is null)
        {
            return FrameVerdict.Allow;
        }

        try
        {
            return _guard.Inspect(stream, data);
        }
        catch (Exception)
        {
            // The guard exists to keep bytes out of sight: when it cannot decide, the frame is blocked.
            return FrameVerdict.Block;
        }
    }
}
