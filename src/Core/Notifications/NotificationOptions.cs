namespace Orchestrator.Core.Notifications;

/// <summary>
/// Bounds of a delivery. Targets are delivered concurrently, so the whole delivery takes at most
/// the longest of <see cref="WebhookWorstCase"/> and <see cref="CommandWorstCase"/>: with the
/// defaults 3 × 5 s + 0.5 s + 1 s = 16.5 s.
/// </summary>
public sealed record NotificationOptions
{
    public static NotificationOptions Default { get; } = new();

    /// <summary>Bound of one POST: connecting, sending and receiving the response headers.</summary>
    public TimeSpan WebhookTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per webhook, the first included; only connection errors, timeouts, 5xx and 429 are retried.</summary>
    public int WebhookMaxAttempts { get; init; } = 3;

    /// <summary>Delay before the second attempt; it doubles before each further one.</summary>
    public TimeSpan WebhookInitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a <c>command:</c> program may run before SIGTERM goes to its process group.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Between SIGTERM and SIGKILL when the program outlives <see cref="CommandTimeout"/>.</summary>
    public TimeSpan CommandKillGracePeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>After the program exits, how long output held open by something it left behind is still read.</summary>
    public TimeSpan CommandDrainTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Bytes of the program's stdout and of its stderr kept for the report.</summary>
    public int OutputCaptureBytes { get; init; } = 4096;

    /// <summary>Where <c>command:</c> programs run (and a relative program is found); null = the current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Attempts × timeout + the backoffs between them.</summary>
    public TimeSpan WebhookWorstCase
    {
        get
        {
            TimeSpan total = WebhookTimeout * WebhookMaxAttempts;
            TimeSpan backoff = WebhookInitialBackoff;
            for (int attempt = 2; attempt <= WebhookMaxAttempts; attempt++, backoff *= 2)
            {
                total += backoff;
            }

            return total;
        }
    }

    /// <summary>Timeout + grace period + output drain.</summary>
    public TimeSpan CommandWorstCase => CommandTimeout + CommandKillGracePeriod + CommandDrainTimeout;

    /// <summary>The bound of a whole delivery (targets run concurrently).</summary>
    public TimeSpan WorstCase => WebhookWorstCase > CommandWorstCase ? WebhookWorstCase : CommandWorstCase;

    internal void Validate()
    {
        if (WebhookTimeout <= TimeSpan.Zero || CommandTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(WebhookTimeout), "Notification timeouts must be positive.");
        }

        if (WebhookMaxAttempts is < 1 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(WebhookMaxAttempts), WebhookMaxAttempts, "Webhook attempts must be between 1 and 10.");
        }

        if (WebhookInitialBackoff < TimeSpan.Zero || CommandKillGracePeriod < TimeSpan.Zero || CommandDrainTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(WebhookInitialBackoff), "Notification delays cannot be negative.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(OutputCaptureBytes);
    }
}
