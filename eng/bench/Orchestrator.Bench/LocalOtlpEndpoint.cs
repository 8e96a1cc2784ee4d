using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orchestrator.Bench;

/// <summary>
/// A minimal OTLP/HTTP endpoint on 127.0.0.1 for the telemetry benchmarks: it reads each request
/// (headers and Content-Length body) and answers 200, or, when told to hang, accepts connections,
/// reads what comes and never answers.
/// </summary>
internal sealed class LocalOtlpEndpoint : IDisposable
{
    private static readonly byte[] Ok = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _hang;
    private long _requests;
    private long _bytes;

    public LocalOtlpEndpoint(bool hang)
    {
        _hang = hang;
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _ = AcceptAsync();
    }

    public string Url { get; }

    public long Requests => Interlocked.Read(ref _requests);

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
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

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new List<byte>();
                var chunk = new byte[64 * 1024];
                while (!_stop.IsCancellationRequested)
                {
                    int end;
                    while ((end = HeaderEnd(buffer)) < 0)
                    {
                        int read = await stream.ReadAsync(chunk, _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        buffer.AddRange(chunk.AsSpan(0, read));
                    }

                    string head = Encoding.ASCII.GetString([.. buffer.GetRange(0, end)]);
                    int length = 0;
                    foreach (string line in head.Split("\r\n"))
                    {
                        if (line.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase))
                        {
                            length = int.Parse(line[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                        }
                    }

                    buffer.RemoveRange(0, end + 4);
                    while (buffer.Count < length)
                    {
                        int read = await stream.ReadAsync(chunk, _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        buffer.AddRange(chunk.AsSpan(0, read));
                    }

                    buffer.RemoveRange(0, length);
                    Interlocked.Increment(ref _requests);
                    Interlocked.Add(ref _bytes, length);
                    if (!_hang)
                    {
                        await stream.WriteAsync(Ok, _stop.Token);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
            {
            }
        }
    }

    private static int HeaderEnd(List<byte> buffer)
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
