using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orchestrator.Core.Tests.Telemetry;

/// <summary>
/// A real OTLP/HTTP receiver on 127.0.0.1 and a random port, on a raw <see cref="TcpListener"/> so
/// each test decides what goes back: statuses in turn (the last repeats), or nothing at all while
/// the connection stays open. Keeps every request it read and decodes the spans and metric points.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly int[] _statuses;
    private readonly bool _neverAnswer;
    private readonly Task _acceptLoop;
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private int _answered;

    private OtlpReceiver(int[] statuses, bool neverAnswer)
    {
        _statuses = statuses;
        _neverAnswer = neverAnswer;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<OtlpRequest> Requests { get; } = new();

    /// <summary>TCP connections accepted so far (a client that keeps its connection alive opens one).</summary>
    public int Connections => _clients.Count;

    public static OtlpReceiver Answering(params int[] statuses) => new(statuses.Length == 0 ? [200] : statuses, neverAnswer: false);

    /// <summary>Reads each request and never answers, holding the connection open.</summary>
    public static OtlpReceiver NeverAnswering() => new([], neverAnswer: true);

    /// <summary>A port nothing listens on: bound once to get a free number, then closed.</summary>
    public static int UnusedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>Spans of every trace request answered or not (the test decides which answers it cares about).</summary>
    public List<OtlpSpan> Spans() => [.. Requests.Where(r => r.IsTraces).SelectMany(r => OtlpDecoder.Spans(r.Body))];

    public List<OtlpMetricPoint> MetricPoints() => [.. Requests.Where(r => r.IsMetrics).SelectMany(r => OtlpDecoder.MetricPoints(r.Body))];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        try
        {
            await _acceptLoop;
            await Task.WhenAll(_connections);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
        }

        _stop.Dispose();
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

            _clients.Add(client);
            _connections.Add(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            using var stream = client.GetStream();
            var buffer = new List<byte>();
            var chunk = new byte[64 * 1024];
            while (!_stop.IsCancellationRequested)
            {
                var request = await ReadRequestAsync(stream, buffer, chunk);
                if (request is null)
                {
                    return;
                }

                Requests.Enqueue(request);
                if (_neverAnswer)
                {
                    continue; // read on, answer nothing: the client sees a server that hangs
                }

                int index = Interlocked.Increment(ref _answered) - 1;
                int status = _statuses[Math.Min(index, _statuses.Length - 1)];
                string reason = status == 200 ? "OK" : status == 503 ? "Service Unavailable" : "Error";
                byte[] answer = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n");
                await stream.WriteAsync(answer, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task<OtlpRequest?> ReadRequestAsync(NetworkStream stream, List<byte> buffer, byte[] chunk)
    {
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(buffer)) < 0)
        {
            int read = await stream.ReadAsync(chunk, _stop.Token);
            if (read == 0)
            {
                return null;
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }

        string head = Encoding.ASCII.GetString([.. buffer.GetRange(0, headerEnd)]);
        string[] lines = head.Split("\r\n");
        string[] requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>();
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
            }
        }

        int length = headers.TryGetValue("content-length", out string? text) ? int.Parse(text) : 0;
        buffer.RemoveRange(0, headerEnd + 4);
        while (buffer.Count < length)
        {
            int read = await stream.ReadAsync(chunk, _stop.Token);
            if (read == 0)
            {
                return null;
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }

        byte[] body = [.. buffer.GetRange(0, length)];
        buffer.RemoveRange(0, length);
        return new OtlpRequest(requestLine[0], requestLine.Length > 1 ? requestLine[1] : "", headers, body);
    }

    private static int IndexOfHeaderEnd(List<byte> buffer)
    {
        for (int i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
