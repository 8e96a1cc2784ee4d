using Orchestrator.Core.Notifications;

namespace Orchestrator.Tasks;

/// <summary>
/// The <c>Notify</c> parameter of both tasks: an MSBuild list, so targets are separated by <c>;</c>,
/// and, as in <c>ORCHESTRATOR_NOTIFY</c>, by commas outside quotes. Empty pieces are dropped.
/// </summary>
internal static class NotifyTargets
{
    public static IReadOnlyList<string> Split(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : [.. value.Split(';').SelectMany(part => NotificationSettings.SplitList(part)).Where(t => t.Length > 0)];
}
