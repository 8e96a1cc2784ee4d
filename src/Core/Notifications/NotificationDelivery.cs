namespace Orchestrator.Core.Notifications;

/// <summary>What happened when one target was notified. Stored as is in the manifest's <c>notifications.deliveries</c>.</summary>
public sealed record NotificationDelivery
{
    /// <summary>The target, redacted (credentials and secret query values are <c>***</c>).</summary>
    public required string Target { get; init; }

    /// <summary><c>webhook</c> or <c>command</c>.</summary>
    public required string Kind { get; init; }

    public required bool Delivered { get; init; }

    /// <summary>POSTs made (webhook), or 1 for a command (0 when it could not be started).</summary>
    public required int Attempts { get; init; }

    public required long DurationMs { get; init; }

    /// <summary>Why it was not delivered, e.g. <c>HTTP 500 Internal Server Error after 3 attempts</c>; null when delivered.</summary>
    public string? Failure { get; init; }

    /// <summary>A command's stdout, its first <see cref="NotificationOptions.OutputCaptureBytes"/> bytes; null when empty or a webhook.</summary>
    public string? Stdout { get; init; }

    /// <summary>A command's stderr, its first <see cref="NotificationOptions.OutputCaptureBytes"/> bytes; null when empty or a webhook.</summary>
    public string? Stderr { get; init; }
}
