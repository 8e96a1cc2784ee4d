using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Core.Tests.Telemetry;

/// <summary>
/// A real OTLP/gRPC receiver: Kestrel on 127.0.0.1 speaking HTTP/2 without TLS (what a collector's
/// port 4317 does), serving the trace and metrics <c>Export</c> methods. Each request's message is
/// taken out of its gRPC frame and kept; the answer is an empty Export response with the
/// <c>grpc-status</c> trailer given in turn (the last repeats).
/// </summary>
internal sealed class OtlpGrpcReceiver : IAsyncDisposable
{
    public const string TracePath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    public const string MetricsPath = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";

    private readonly WebApplication _app;
    private readonly int[] _statuses;
    private int _answered;

    private OtlpGrpcReceiver(WebApplication app, int[] statuses)
    {
        _app = app;
        _statuses = statuses;
    }

    public string Endpoint { get; private set; } = string.Empty;

    /// <summary>Every request read: its path, protocol, content type and the message out of its frame.</summary>
    public ConcurrentQueue<(string Path, string Protocol, string? ContentType, byte[] Message)> Requests { get; } = new();

    public static async Task<OtlpGrpcReceiver> StartAsync(params int[] grpcStatuses)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        var receiver = new OtlpGrpcReceiver(app, grpcStatuses.Length == 0 ? [0] : grpcStatuses);
        app.MapPost(TracePath, receiver.ExportAsync);
        app.MapPost(MetricsPath, receiver.ExportAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Endpoint = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        return receiver;
    }

    public List<OtlpSpan> Spans() => [.. Requests.Where(r => r.Path == TracePath).SelectMany(r => OtlpDecoder.Spans(r.Message))];

    public List<OtlpMetricPoint> MetricPoints() => [.. Requests.Where(r => r.Path == MetricsPath).SelectMany(r => OtlpDecoder.MetricPoints(r.Message))];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ExportAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        byte[] frame = body.ToArray();
        // One uncompressed message: flag 0, a 4-byte big-endian length, the protobuf.
        int length = frame.Length >= 5 ? (frame[1] << 24) | (frame[2] << 16) | (frame[3] << 8) | frame[4] : -1;
        byte[] message = frame.Length >= 5 && frame[0] == 0 && length == frame.Length - 5 ? frame[5..] : [];
        Requests.Enqueue((context.Request.Path.Value ?? string.Empty, context.Request.Protocol, context.Request.ContentType, message));

        int index = Interlocked.Increment(ref _answered) - 1;
        int status = _statuses[Math.Min(index, _statuses.Length - 1)];
        context.Response.ContentType = "application/grpc";
        if (status == 0)
        {
            // An empty Export*ServiceResponse, framed.
            await context.Response.Body.WriteAsync(new byte[5], context.RequestAborted);
        }

        context.Response.AppendTrailer("grpc-status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
