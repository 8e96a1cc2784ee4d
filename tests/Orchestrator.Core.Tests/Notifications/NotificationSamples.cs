using System.Text;
using Orchestrator.Core.Notifications;

namespace Orchestrator.Core.Tests.Notifications;

internal static class NotificationSamples
{
    /// <summary>
    /// A <c>run:summary</c> line as a run writes it, with a status detail holding spaces, both quote
    /// kinds, a backslash and non-ASCII text: what must arrive byte for byte.
    /// </summary>
    public const string SummaryLine = """
        {"type":"run:summary","timestamp":"2026-11-22T05:33:04.655Z","runId":"2026-11-22T05-33-04-648Z-f65f7111","payload":{"taskId":"docs","status":"failed","statusDetail":"command 1 (echo 'it''s'  \"quoted\" C:\\dir — naïve) exited with code 1","durationMs":6,"exitCode":1,"commands":{"total":1,"succeeded":0,"failed":1,"timedOut":0,"cancelled":0,"skipped":0},"manifestPath":"/tmp/x/.runs/docs/cli/2026-11-22T05-33-04-648Z-f65f7111/manifest.json"}}
        """;

    public static ReadOnlyMemory<byte> Summary { get; } = Encoding.UTF8.GetBytes(SummaryLine);

    /// <summary>Short backoff so tests of the retry logic do not wait on the production one; attempts and timeouts as shipped.</summary>
    public static NotificationOptions FastRetries { get; } = new() { WebhookInitialBackoff = TimeSpan.FromMilliseconds(20) };
}
