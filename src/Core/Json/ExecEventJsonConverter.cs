using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Orchestrator.Core.Events;

namespace Orchestrator.Core.Json;

/// <summary>
/// Writes the envelope with <c>type</c> first and the payload by its runtime type; reads any key
/// order and keeps unknown event types as <see cref="UnknownPayload"/>.
/// </summary>
public sealed class ExecEventJsonConverter : JsonConverter<ExecEvent>
{
    private static readonly UtcTimestampConverter Timestamps = new();

    public override ExecEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("An event must be a JSON object.");
        }

        string type = Required(root, "type").GetString() ?? throw new JsonException("'type' must be a string.");
        string timestampText = Required(root, "timestamp").GetString() ?? throw new JsonException("'timestamp' must be a string.");
        var timestampReader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes("\"" + timestampText + "\""));
        timestampReader.Read();
        DateTimeOffset timestamp = Timestamps.Read(ref timestampReader, typeof(DateTimeOffset), options);
        string runId = Required(root, "runId").GetString() ?? throw new JsonException("'runId' must be a string.");
        JsonElement payloadElement = Required(root, "payload");

        Type? payloadType = PayloadType(type);
        ExecEventPayload payload = payloadType is null
            ? new UnknownPayload(type, payloadElement.Clone())
            : (ExecEventPayload)(payloadElement.Deserialize(options.GetTypeInfo(payloadType))
                                 ?? throw new JsonException($"The payload of '{type}' is null."));
        return new ExecEvent(type, timestamp, runId, payload);
    }

    public override void Write(Utf8JsonWriter writer, ExecEvent value, JsonSerializerOptions options) =>
        ExecEventSerializer.Write(writer, value);

    internal static Type? PayloadType(string type) => type switch
    {
        ExecEventTypes.RunBegin => typeof(RunBeginPayload),
        ExecEventTypes.ExecBegin => typeof(ExecBeginPayload),
        ExecEventTypes.ExecChunk => typeof(ExecChunkPayload),
        ExecEventTypes.ExecEnd => typeof(ExecEndPayload),
        ExecEventTypes.RunSummary => typeof(RunSummaryPayload),
        ExecEventTypes.ToolBegin => typeof(ToolBeginPayload),
        ExecEventTypes.ToolEnd => typeof(ToolEndPayload),
        ExecEventTypes.ExecRetry => typeof(ExecRetryPayload),
        ExecEventTypes.ApprovalDecision => typeof(ApprovalDecisionPayload),
        ExecEventTypes.SessionCreated => typeof(SessionCreatedPayload),
        ExecEventTypes.SessionDisposed => typeof(SessionDisposedPayload),
        _ => null,
    };

    private static JsonElement Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) ? value : throw new JsonException($"The event has no '{name}'.");
}
