using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Cli.Tests.Support;

/// <summary>
/// A real HTTP listener on 127.0.0.1 that answers every request 200 and keeps what it was sent:
/// the receiving end of --otel-endpoint and --notify.
/// </summary>
public sealed class HttpReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<List<ReceivedRequest>> _serving;

    private HttpReceiver(HttpListener listener, string prefix)
    {
        _listener = listener;
        Prefix = prefix;
        _serving = ServeAsync(_stop.Token);
    }

    /// <summary>The listener's base address, ending in '/'.</summary>
    public string Prefix { get; }

    public static HttpReceiver Start()
    {
        for (int attempt = 0; ; attempt++)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            string prefix = $"http://127.0.0.1:{port}/";
            listener.Prefixes.Add(prefix);
            try
            {
                listener.Start();
                return new HttpReceiver(listener, prefix);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Another process took the port between the probe and the listener.
                listener.Close();
            }
        }
    }

    /// <summary>Stops listening and returns every request received, in order.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> StopAsync()
    {
        await _stop.CancelAsync();
        return await _serving;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _listener.Close();
        _stop.Dispose();
    }

    private async Task<List<ReceivedRequest>> ServeAsync(CancellationToken cancellationToken)
    {
        var seen = new List<ReceivedRequest>();
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body, cancellationToken);
            lock (seen)
            {
                seen.Add(new ReceivedRequest(context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
            }

            context.Response.StatusCode = 200;
            context.Response.Close();
        }

        return seen;
    }
}

/// <summary>One request an <see cref="HttpReceiver"/> answered.</summary>
public sealed record ReceivedRequest(string Path, string? ContentType, byte[] Body);
