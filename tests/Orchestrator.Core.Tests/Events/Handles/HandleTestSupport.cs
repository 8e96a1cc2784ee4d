using System.Text;
using Orchestrator.Core.Events.Handles;

namespace Orchestrator.Core.Tests.Events.Handles;

internal static class HandleTestSupport
{
    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(HandleFrame frame) => Encoding.UTF8.GetString(frame.Data.Span);

    /// <summary>Reads a subscription to its end (the handle must complete, or the token fire).</summary>
    public static async Task<List<HandleFrame>> ReadToEndAsync(HandleSubscription subscription, CancellationToken cancellationToken = default)
    {
        var frames = new List<HandleFrame>();
        await foreach (HandleFrame frame in subscription.ReadAllAsync(cancellationToken))
        {
            frames.Add(frame);
        }

        return frames;
    }

    /// <summary>A generous bound for tests that wait for a background reader: it only guards against hangs.</summary>
    public static CancellationToken HangGuard() => new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;
}
