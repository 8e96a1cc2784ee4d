namespace Orchestrator.Core.Events.Handles;

/// <summary>Bounds and hooks of a <see cref="HandleService"/>; every bound keeps memory finite whatever runs.</summary>
public sealed record HandleOptions
{
    public const int DefaultRingCapacity = 500;
    public const int DefaultSubscriberQueueCapacity = 1000;
    public const int DefaultMaxHandles = 256;
    public const int DefaultMaxFrameBytes = 8192;

    public static HandleOptions Default { get; } = new();

    /// <summary>Frames each handle stores for replay (the newest ones).</summary>
    public int RingCapacity { get; init; } = DefaultRingCapacity;

    /// <summary>Live frames queued per subscriber; when full the oldest queued frame is dropped and counted.</summary>
    public int SubscriberQueueCapacity { get; init; } = DefaultSubscriberQueueCapacity;

    /// <summary>Handles kept by the service; beyond it ended handles are pruned, least recently ended first.</summary>
    public int MaxHandles { get; init; } = DefaultMaxHandles;

    /// <summary>
    /// The largest frame: longer appends become several frames, so one handle holds at most
    /// <see cref="RingCapacity"/> x this many bytes (4 MiB by default).
    /// </summary>
    public int MaxFrameBytes { get; init; } = DefaultMaxFrameBytes;

    /// <summary>Inspects every frame as it is appended; null lets every frame through.</summary>
    public IFrameGuard? Guard { get; init; }

    /// <summary>Clock for frame timestamps.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(RingCapacity, 1, nameof(RingCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(SubscriberQueueCapacity, 1, nameof(SubscriberQueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHandles, 1, nameof(MaxHandles));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameBytes, 1, nameof(MaxFrameBytes));
        ArgumentNullException.ThrowIfNull(Time, nameof(Time));
    }
}
