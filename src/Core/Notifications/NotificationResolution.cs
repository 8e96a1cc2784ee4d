namespace Orchestrator.Core.Notifications;

/// <summary>The targets a run notifies and the one source they all came from.</summary>
/// <param name="Targets">Validated targets, in the order given; empty when <paramref name="Source"/> is <see cref="NotificationSource.None"/>.</param>
/// <param name="Source">The first source (door, environment, configuration) that named any target.</param>
public sealed record NotificationResolution(IReadOnlyList<NotificationTarget> Targets, NotificationSource Source)
{
    public static NotificationResolution None { get; } = new([], NotificationSource.None);
}
