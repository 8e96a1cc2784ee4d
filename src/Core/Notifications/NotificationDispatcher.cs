using System.Diagnostics;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Notifications;

/// <summary>
/// Delivers a run's <c>run:summary</c> JSON to every target at once. Delivery is best effort and
/// bounded (<see cref="NotificationOptions.WorstCase"/>, 16.5 s with the defaults): a failure, a
/// timeout or a cancellation is reported in the <see cref="NotificationReport"/>, never thrown, and
/// never changes the run's outcome.
/// </summary>
public static class NotificationDispatcher
{
    /// <inheritdoc cref="DeliverAsync(IReadOnlyList{NotificationTarget}, NotificationSource, ReadOnlyMemory{byte}, NotificationOptions, CancellationToken)"/>
    public static Task<NotificationReport> DeliverAsync(
        IReadOnlyList<NotificationTarget> targets,
        NotificationSource source,
        ReadOnlyMemory<byte> summaryJson,
        CancellationToken cancellationToken) =>
        DeliverAsync(targets, source, summaryJson, NotificationOptions.Default, cancellationToken);

    /// <summary>Delivers to all targets concurrently and reports each, in the order of <paramref name="targets"/>.</summary>
    /// <param name="targets">Validated targets (<see cref="NotificationSettings.Resolve"/>).</param>
    /// <param name="source">Where they came from, recorded in the report.</param>
    /// <param name="summaryJson">The UTF-8 JSON to deliver: the complete <c>run:summary</c> event line, without its newline.</param>
    /// <param name="options">Timeouts, attempts and backoff.</param>
    /// <param name="cancellationToken">Stops deliveries still under way; they are reported as cancelled.</param>
    public static async Task<NotificationReport> DeliverAsync(
        IReadOnlyList<NotificationTarget> targets,
        NotificationSource source,
        ReadOnlyMemory<byte> summaryJson,
        NotificationOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var deliveries = await Task.WhenAll(targets.Select(target => DeliverOneAsync(target, summaryJson, options, cancellationToken))).ConfigureAwait(false);
        return new NotificationReport { Source = WireNames.Of(source), Deliveries = deliveries };
    }

    private static async Task<NotificationDelivery> DeliverOneAsync(
        NotificationTarget target,
        ReadOnlyMemory<byte> summaryJson,
        NotificationOptions options,
        CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            // Yield first so one target's synchronous start (resolving, spawning) never delays the others.
            await Task.Yield();
            return target.Kind == NotificationTargetKind.Webhook
                ? await WebhookNotifier.DeliverAsync(target, summaryJson, options, cancellationToken).ConfigureAwait(false)
                : await CommandNotifier.DeliverAsync(target, summaryJson, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A notification must never fail the run; whatever went wrong becomes the report's reason.
            return new NotificationDelivery
            {
                Target = target.Redacted,
                Kind = target.KindName,
                Delivered = false,
                Attempts = 0,
                DurationMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                Failure = cancellationToken.IsCancellationRequested && e is OperationCanceledException
                    ? "cancelled"
                    : NotificationRedactor.RedactText($"{e.GetType().Name}: {e.Message}"),
            };
        }
    }
}
