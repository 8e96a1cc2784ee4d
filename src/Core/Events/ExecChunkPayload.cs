using System.Text.Json.Serialization;

namespace Orchestrator.Core.Events;

/// <summary>
/// Payload of <c>exec:chunk</c>: at most 8 KiB of one stream, cut on a UTF-8 boundary. Valid UTF-8
/// travels in <see cref="Text"/>; anything else travels exactly in <see cref="Data"/> as base64 with
/// <see cref="Encoding"/> = <c>base64</c>.
/// </summary>
public sealed record ExecChunkPayload : ExecEventPayload
{
    [JsonIgnore]
    public override string EventType => ExecEventTypes.ExecChunk;

    public required string ExecId { get; init; }

    /// <summary>1, 2, 3... per command, across both streams, in the order bytes were read.</summary>
    public required long Seq { get; init; }

    /// <summary><c>stdout</c>, <c>stderr</c> or <c>pty</c>.</summary>
    public required string Stream { get; init; }

    public required int Bytes { get; init; }

    public string? Text { get; init; }

    public string? Data { get; init; }

    public string? Encoding { get; init; }

    /// <summary>The chunk's raw bytes, whichever way they travelled.</summary>
    public byte[] GetBytes() =>
        Data is not null ? Convert.FromBase64String(Data) : System.Text.Encoding.UTF8.GetBytes(Text ?? string.Empty);
}
