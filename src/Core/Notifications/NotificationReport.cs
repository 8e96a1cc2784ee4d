namespace Orchestrator.Core.Notifications;

/// <summary>The outcome of notifying a run's targets. A failed delivery is reported here, never thrown.</summary>
public sealed record NotificationReport
{
    public static NotificationReport None { get; } = new() { Source = "none", Deliveries = [] };

    /// <summary>Where the targets came from: <c>cli</c>, <c>msbuild</c>, <c>cake</c>, <c>sdk</c>, <c>environment</c>, <c>config</c> or <c>none</c>.</summary>
    public required string Source { get; init; }

    /// <summary>One per target, in the order the targets were given.</summary>
    public required IReadOnlyList<NotificationDelivery> Deliveries { get; init; }

    public bool AllDelivered => Deliveries.All(d => d.Delivered);
}
