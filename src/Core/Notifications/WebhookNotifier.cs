using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Core.Notifications;

/// <summary>
/// POSTs the summary to a webhook with bounded retries: connection errors, timeouts, 5xx and 429
/// are retried (backoff doubling), anything else is final. Redirects are not followed: a POST
/// redirected by 301/302 would arrive as a GET without its body.
/// </summary>
internal static partial class WebhookNotifier
{
    private static readonly string Version = typeof(WebhookNotifier).Assembly.GetName().Version?.ToString(3) ?? "0";

    // One client for the process: sockets and TLS sessions are pooled, and a lifetime makes DNS changes visible.
    // The per-attempt timeout is a cancellation token, so the client's own Timeout is off.
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        ConnectTimeout = NotificationOptions.Default.WebhookTimeout,
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public static async Task<NotificationDelivery> DeliverAsync(
        NotificationTarget target,
        ReadOnlyMemory<byte> summaryJson,
        NotificationOptions options,
        CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        TimeSpan backoff = options.WebhookInitialBackoff;
        string reason = "";
        int attempt = 0;
        bool timedOut = false;

        while (attempt < options.WebhookMaxAttempts)
        {
            attempt++;
            var (delivered, retryable, failure, wasTimeout) = await PostAsync(target, summaryJson, options.WebhookTimeout, cancellationToken).ConfigureAwait(false);
            if (delivered)
            {
                return Result(target, started, attempt, failure: null);
            }

            (reason, timedOut) = (failure!, wasTimeout);
            if (!retryable || attempt == options.WebhookMaxAttempts || cancellationToken.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                reason = "cancelled";
                break;
            }

            backoff *= 2;
        }

        string summary = attempt <= 1 || reason == "cancelled" ? reason
            : timedOut ? $"{reason} ({attempt} attempts)"
            : $"{reason} after {attempt} attempts";
        return Result(target, started, attempt, summary);
    }

    private static async Task<(bool Delivered, bool Retryable, string? Failure, bool TimedOut)> PostAsync(
        NotificationTarget target,
        ReadOnlyMemory<byte> summaryJson,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptCts.CancelAfter(timeout);

        // A request message can be sent once, so each attempt builds its own.
        using var request = new HttpRequestMessage(HttpMethod.Post, target.RequestUri)
        {
            Content = new ReadOnlyMemoryContent(summaryJson) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Orchestrator", Version));
        if (target.Credentials is { } credentials)
        {
            // User info in a URL means Basic authentication (as curl reads it); HttpClient would ignore it.
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }

        try
        {
            // Headers are enough to judge the answer; the body is never read, so a slow one cannot hold us.
            using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptCts.Token).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (status is >= 200 and <= 299)
            {
                return (true, false, null, false);
            }

            string text = $"HTTP {status} {ReasonPhrase(response)}".TrimEnd();
            return status is >= 300 and <= 399
                ? (false, false, $"{text} (redirects are not followed)", false)
                : (false, status >= 500 || status == (int)HttpStatusCode.TooManyRequests, text, false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (false, false, "cancelled", false);
        }
        catch (OperationCanceledException)
        {
            // Ours fired, or the handler's connect timeout did (only when it is the shorter one).
            return (false, true, $"timed out after {DurationText.Format(attemptCts.IsCancellationRequested ? timeout : NotificationOptions.Default.WebhookTimeout)}", true);
        }
        catch (HttpRequestException e)
        {
            return (false, true, Describe(e, target.RequestUri!), false);
        }
    }

    private static string Describe(HttpRequestException e, Uri uri)
    {
        if (e.InnerException is SocketException socket)
        {
            switch (socket.SocketErrorCode)
            {
                case SocketError.ConnectionRefused:
                    return "connection refused";
                case SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData:
                    return $"host not found: {uri.Host}";
                case SocketError.TimedOut:
                    return "connection timed out";
                case SocketError.ConnectionReset:
                    return "connection reset by the server";
                case SocketError.NetworkUnreachable:
                    return "network unreachable";
                case SocketError.HostUnreachable:
                    return "host unreachable";
            }
        }

        string detail = NotificationRedactor.RedactText((e.InnerException ?? e).Message.TrimEnd('.'));
        return e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => $"host not found: {uri.Host}",
            HttpRequestError.SecureConnectionError => $"TLS handshake failed: {detail}",
            HttpRequestError.ResponseEnded => "the server closed the connection without a response",
            HttpRequestError.InvalidResponse => $"invalid HTTP response: {detail}",
            _ => detail,
        };
    }

    /// <summary>The server's phrase, else (HTTP/2 has none) the status name spelled out: <c>Internal Server Error</c>.</summary>
    private static string ReasonPhrase(HttpResponseMessage response)
    {
        if (!string.IsNullOrWhiteSpace(response.ReasonPhrase))
        {
            return response.ReasonPhrase;
        }

        string name = response.StatusCode.ToString();
        return int.TryParse(name, out _) ? "" : WordBoundary().Replace(name, " ");
    }

    private static NotificationDelivery Result(NotificationTarget target, long started, int attempts, string? failure) => new()
    {
        Target = target.Redacted,
        Kind = target.KindName,
        Delivered = failure is null,
        Attempts = attempts,
        DurationMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        Failure = failure,
    };

    [GeneratedRegex(@"(?<=[a-z])(?=[A-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex WordBoundary();
}
