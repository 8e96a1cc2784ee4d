using Orchestrator.Core.Notifications;

namespace Orchestrator.Core.Runs;

/// <summary>The manifest's <c>notifications</c>: where the targets came from, which they were, and how each delivery went.</summary>
/// <param name="Source"><c>cli</c>, <c>msbuild</c>, <c>cake</c>, <c>sdk</c>, <c>environment</c>, <c>config</c> or <c>none</c>.</param>
/// <param name="Targets">The targets, redacted (credentials and secret query values are <c>***</c>), in order.</param>
/// <param name="Deliveries">One per target once delivery has run; empty before.</param>
public sealed record NotificationsRecord(string Source, IReadOnlyList<string> Targets, IReadOnlyList<NotificationDelivery> Deliveries)
{
    /// <summary>The record before delivery (or when it never ran): the source and targets, no deliveries.</summary>
    public static NotificationsRecord Pending(NotificationResolution resolution)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        return new(WireNames.Of(resolution.Source), [.. resolution.Targets.Select(t => t.Redacted)], []);
    }

    /// <summary>The record after delivery.</summary>
    public static NotificationsRecord From(NotificationResolution resolution, NotificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Pending(resolution) with { Source = report.Source, Deliveries = report.Deliveries };
    }
}
