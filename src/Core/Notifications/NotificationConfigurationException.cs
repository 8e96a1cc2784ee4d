namespace Orchestrator.Core.Notifications;

/// <summary>
/// A notification target that cannot be used: an empty value, an unknown scheme, a URL without a
/// host, a <c>command:</c> that names no program or leaves a quote open. The message names the
/// target (with credentials masked) and where it came from, so a door can report it at start.
/// </summary>
public sealed class NotificationConfigurationException : Exception
{
    public NotificationConfigurationException(string origin, string target, string reason)
        : base($"{origin}: invalid notification target '{target}': {reason}")
    {
        Origin = origin;
        Target = target;
        Reason = reason;
    }

    /// <summary>Where the target was given, e.g. <c>ORCHESTRATOR_NOTIFY</c> or <c>--notify</c>.</summary>
    public string Origin { get; }

    /// <summary>The target as written, with any credentials masked.</summary>
    public string Target { get; }

    /// <summary>What is wrong, without the origin and target.</summary>
    public string Reason { get; }
}
