using System.Text.Json;
using Orchestrator.Core.Events;

namespace Orchestrator.Core.Json;

/// <summary>
/// Writes one <see cref="ExecEvent"/> (the envelope and its payload) through the generated handlers
/// of <see cref="JsonDefaults.Events"/>; the output is what <see cref="ExecEventJsonConverter"/>
/// writes, which delegates here.
/// </summary>
public static class ExecEventSerializer
{
    private static Action<Utf8JsonWriter, RunBeginPayload>? _runBegin;
    private static Action<Utf8JsonWriter, ExecBeginPayload>? _execBegin;
    private static Action<Utf8JsonWriter, ExecChunkPayload>? _execChunk;
    private static Action<Utf8JsonWriter, ExecEndPayload>? _execEnd;
    private static Action<Utf8JsonWriter, RunSummaryPayload>? _runSummary;
    private static Action<Utf8JsonWriter, ToolBeginPayload>? _toolBegin;
    private static Action<Utf8JsonWriter, ToolEndPayload>? _toolEnd;
    private static Action<Utf8JsonWriter, ExecRetryPayload>? _execRetry;
    private static Action<Utf8JsonWriter, ApprovalDecisionPayload>? _approvalDecision;
    private static Action<Utf8JsonWriter, SessionCreatedPayload>? _sessionCreated;
    private static Action<Utf8JsonWriter, SessionDisposedPayload>? _sessionDisposed;

    public static void Write(Utf8JsonWriter writer, ExecEvent value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("type"u8, value.Type);
        writer.WritePropertyName("timestamp"u8);
        UtcTimestampConverter.WriteTimestamp(writer, value.Timestamp);
        writer.WriteString("runId"u8, value.RunId);
        writer.WritePropertyName("payload"u8);
        WritePayload(writer, value.Payload);
        writer.WriteEndObject();
    }

    private static void WritePayload(Utf8JsonWriter writer, ExecEventPayload payload)
    {
        // Handlers are made on first use: a process that never retries never builds the retry writer.
        var context = JsonDefaults.Events;
        switch (payload)
        {
            case ExecChunkPayload p: (_execChunk ??= FastSerializer.HandlerFor<ExecChunkPayload>(context))(writer, p); break;
            case ExecBeginPayload p: (_execBegin ??= FastSerializer.HandlerFor<ExecBeginPayload>(context))(writer, p); break;
            case ExecEndPayload p: (_execEnd ??= FastSerializer.HandlerFor<ExecEndPayload>(context))(writer, p); break;
            case RunBeginPayload p: (_runBegin ??= FastSerializer.HandlerFor<RunBeginPayload>(context))(writer, p); break;
            case RunSummaryPayload p: (_runSummary ??= FastSerializer.HandlerFor<RunSummaryPayload>(context))(writer, p); break;
            case ToolBeginPayload p: (_toolBegin ??= FastSerializer.HandlerFor<ToolBeginPayload>(context))(writer, p); break;
            case ToolEndPayload p: (_toolEnd ??= FastSerializer.HandlerFor<ToolEndPayload>(context))(writer, p); break;
            case ExecRetryPayload p: (_execRetry ??= FastSerializer.HandlerFor<ExecRetryPayload>(context))(writer, p); break;
            case ApprovalDecisionPayload p: (_approvalDecision ??= FastSerializer.HandlerFor<ApprovalDecisionPayload>(context))(writer, p); break;
            case SessionCreatedPayload p: (_sessionCreated ??= FastSerializer.HandlerFor<SessionCreatedPayload>(context))(writer, p); break;
            case SessionDisposedPayload p: (_sessionDisposed ??= FastSerializer.HandlerFor<SessionDisposedPayload>(context))(writer, p); break;
            case UnknownPayload unknown: unknown.Raw.WriteTo(writer); break;
            default: JsonSerializer.Serialize(writer, payload, context.Options.GetTypeInfo(payload.GetType())); break;
        }
    }
}
