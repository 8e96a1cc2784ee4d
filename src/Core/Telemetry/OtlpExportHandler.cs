using System.Net;
using System.Net.Http.Headers;
using Orchestrator.Core.Notifications;

namespace Orchestrator.Core.Telemetry;

/// <summary>
/// The HTTP pipeline under the OpenTelemetry OTLP exporter (through its <c>HttpClientFactory</c>),
/// where the runs' export policy lives, because the exporter's own has none of it: each attempt is
/// bounded by <see cref="TelemetrySettings.ExportAttemptTimeout"/>; a failed one is retried after
/// 500 ms, doubling up to 5 s, but never past the flush deadline; after
/// <see cref="TelemetrySettings.MaxConsecutiveFailures"/> failures in a row nothing more goes out
/// for a run. It also adds the configured headers, and credits what the endpoint accepted. The
/// pipeline is shared by the runs of the process: which runs a request is for (whose failures and
/// counts these are, whose flush deadline bounds it) comes with the request, as the
/// <see cref="ExportContext"/> of the export that sends it; without one nothing is sent.
/// </summary>
internal sealed class OtlpExportHandler : DelegatingHandler
{
    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");

    private readonly TelemetrySettings _settings;
    private readonly string? _basicCredentials;

    public OtlpExportHandler(TelemetrySettings settings)
        : base(new SocketsHttpHandler
        {
            ConnectTimeout = settings.ExportAttemptTimeout,
            // Redirects would carry the headers (an API key) to wherever the answer points.
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        })
    {
        _settings = settings;
        _basicCredentials = settings.Endpoint is null ? null : OtlpEndpoint.BasicCredentials(settings.Endpoint);
    }

    // The exporter sends HTTP/1.1 requests synchronously from its own export thread; blocking that
    // thread on the asynchronous path keeps one implementation of the policy.
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendAsync(request, cancellationToken).GetAwaiter().GetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Read before the first await: it is the exporting thread's.
        ExportContext? context = ExportContext.Current;
        if (context is null)
        {
            return NotSent(request, "no run is waiting for this export");
        }

        if (context.Disabled)
        {
            return NotSent(request, "telemetry is off for the rest of this run");
        }

        using var abandoned = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context.Abandoned);
        cancellationToken = abandoned.Token;

        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        AddHeaders(request);
        TimeSpan backoff = _settings.InitialBackoff;
        HttpRequestMessage attempt = request;
        while (true)
        {
            var (response, failure, retryable) = await AttemptAsync(attempt, cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                context.RecordSuccess(Message(body));
                return response!;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                // The flush at the end of the run ran out of time; RunTelemetry records that once.
                response?.Dispose();
                return NotSent(request, "cancelled at the end of the run");
            }

            bool disabled = context.RecordFailure(failure);
            if (disabled || !retryable || !context.HasTimeFor(backoff))
            {
                response?.Dispose();
                return NotSent(request, failure);
            }

            response?.Dispose();
            try
            {
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return NotSent(request, "cancelled at the end of the run");
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _settings.MaxBackoff.Ticks));
            if (context.Disabled)
            {
                return NotSent(request, "telemetry is off for the rest of this run");
            }

            attempt = Copy(request, body);
        }
    }

    private async Task<(HttpResponseMessage? Response, string? Failure, bool Retryable)> AttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.ExportAttemptTimeout);
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                int code = (int)response.StatusCode;
                // OTLP/HTTP: these are the answers worth another try; the rest will not change.
                bool retryable = code is 408 or 429 or 502 or 503 or 504;
                return (response, $"HTTP {code} ({response.ReasonPhrase ?? response.StatusCode.ToString()})", retryable);
            }

            if (_settings.Protocol == TelemetryProtocol.Grpc)
            {
                // gRPC reports in the trailers, which arrive after the body.
                await response.Content.LoadIntoBufferAsync(timeout.Token).ConfigureAwait(false);
                var (status, retryable) = GrpcStatus(response);
                if (status != 0)
                {
                    return (response, status < 0 ? "gRPC answer without grpc-status" : $"gRPC status {status}", retryable);
                }
            }

            return (response, null, false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            response?.Dispose();
            return (null, $"no answer within {_settings.ExportAttemptTimeout.TotalMilliseconds:0} ms", true);
        }
        catch (OperationCanceledException)
        {
            response?.Dispose();
            return (null, "cancelled", false);
        }
        catch (HttpRequestException e)
        {
            response?.Dispose();
            return (null, Describe(e), true);
        }
    }

    private static (int Status, bool Retryable) GrpcStatus(HttpResponseMessage response)
    {
        // A trailers-only answer (an error before any message) carries grpc-status in the headers.
        string? text = response.TrailingHeaders.TryGetValues("grpc-status", out var trailing) ? trailing.FirstOrDefault()
            : response.Headers.TryGetValues("grpc-status", out var leading) ? leading.FirstOrDefault()
            : null;
        if (!int.TryParse(text, out int status))
        {
            return (-1, false);
        }

        // CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS.
        return (status, status is 1 or 4 or 8 or 10 or 11 or 14 or 15);
    }

    private void AddHeaders(HttpRequestMessage request)
    {
        foreach (var (name, value) in _settings.Headers.Pairs)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (_basicCredentials is not null && request.Headers.Authorization is null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", _basicCredentials);
        }
    }

    private ReadOnlySpan<byte> Message(byte[] body) =>
        _settings.Protocol == TelemetryProtocol.Grpc ? OtlpPayloadCounter.GrpcMessage(body) : body;

    /// <summary>A fresh message for a retry: a sent one is not sent twice.</summary>
    private static HttpRequestMessage Copy(HttpRequestMessage request, byte[] body)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
            Content = new ByteArrayContent(body),
        };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers.Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        copy.Content.Headers.ContentType ??= Protobuf;
        return copy;
    }

    // Every give-up is answered with a status the exporter never retries (400): this handler is the
    // only retry policy, even when OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY turns on the exporter's own.
    private static HttpResponseMessage NotSent(HttpRequestMessage request, string reason) =>
        new(HttpStatusCode.BadRequest) { RequestMessage = request, ReasonPhrase = reason.ReplaceLineEndings(" "), Content = new ByteArrayContent([]) };

    private static string Describe(HttpRequestException e)
    {
        string text = e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{e.Message} ({inner.Message})"
            : e.Message;
        text = NotificationRedactor.RedactText(text);
        return text.Length <= 300 ? text : text[..297] + "...";
    }
}
