using System.Text.Json.Serialization;
using Orchestrator.Core.Events;

namespace Orchestrator.Core.Json;

/// <summary>Source-generated serialization for events: compact, camelCase, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcTimestampConverter), typeof(ExecEventJsonConverter)])]
[JsonSerializable(typeof(ExecEvent))]
[JsonSerializable(typeof(RunBeginPayload))]
[JsonSerializable(typeof(ExecBeginPayload))]
[JsonSerializable(typeof(ExecChunkPayload))]
[JsonSerializable(typeof(ExecEndPayload))]
[JsonSerializable(typeof(RunSummaryPayload))]
[JsonSerializable(typeof(ToolBeginPayload))]
[JsonSerializable(typeof(ToolEndPayload))]
[JsonSerializable(typeof(SessionCreatedPayload))]
[JsonSerializable(typeof(SessionDisposedPayload))]
[JsonSerializable(typeof(ExecRetryPayload))]
[JsonSerializable(typeof(ApprovalDecisionPayload))]
public sealed partial class EventJsonContext : JsonSerializerContext;
