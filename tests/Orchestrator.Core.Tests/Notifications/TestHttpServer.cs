using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orchestrator.Core.Tests.Notifications;

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 and a random port, written on a raw <see cref="TcpListener"/>
/// so each test decides exactly what goes over the wire: the status of each answer in turn, or no
/// answer at all. Every request it reads is kept in <see cref="Requests"/>.
/// </summary>
internal sealed class TestHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly (int Status, string Reason)[] _answers;
    private readonly bool _neverAnswer;
    private readonly Task _acceptLoop;
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly SemaphoreSlim _received = new(0);
    private int _count;

    private TestHttpServer((int Status, string Reason)[] answers, bool neverAnswer)
    {
        _answers = answers;
        _neverAnswer = neverAnswer;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    public string Url(string pathAndQuery = "/hook") => $"http://127.0.0.1:{Port}{pathAndQuery}";

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>Answers the requests in turn with these statuses; the last one repeats.</summary>
    public static TestHttpServer Answering(params (int Status, string Reason)[] answers) => new(answers, neverAnswer: false);

    /// <summary>Reads each request and then holds the connection open without a byte of answer.</summary>
    public static TestHttpServer NeverAnswering() => new([], neverAnswer: true);

    /// <summary>A port nothing listens on: bound once to get a free number, then closed.</summary>
    public static int UnusedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>Completes when a request has been read in full.</summary>
    public Task WaitForRequestAsync() => _received.WaitAsync(TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
            await Task.WhenAll(_connections);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
        }

        _stop.Dispose();
        _received.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _connections.Add(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream, _stop.Token);
                if (request is null)
                {
                    return;
                }

                int index = Interlocked.Increment(ref _count) - 1;
                Requests.Enqueue(request);
                _received.Release();
                if (_neverAnswer)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }

                var (status, reason) = _answers[Math.Min(index, _answers.Length - 1)];
                byte[] answer = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(answer, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task<ReceivedRequest?> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        byte[] chunk = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(buffer)) < 0)
        {
            int read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        byte[] all = buffer.ToArray();
        string[] lines = Encoding.ASCII.GetString(all, 0, headerEnd).Split("\r\n");
        string[] requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        int length = headers.TryGetValue("Content-Length", out string? value) ? int.Parse(value) : 0;
        var body = new MemoryStream();
        body.Write(all, headerEnd + 4, all.Length - headerEnd - 4);
        while (body.Length < length)
        {
            int read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                break;
            }

            body.Write(chunk, 0, read);
        }

        return new ReceivedRequest(requestLine[0], requestLine[1], headers, body.ToArray());
    }

    private static int IndexOfHeaderEnd(MemoryStream buffer) =>
        buffer.GetBuffer().AsSpan(0, (int)buffer.Length).IndexOf("\r\n\r\n"u8);
}
