using System.Text.Json.Serialization;
using Orchestrator.Core.Json;

namespace Orchestrator.Core.Runs.State;

/// <summary>Source-generated serialization for runs.jsonl lines: compact, camelCase, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(TaskStateEntry))]
public sealed partial class TaskStateJsonContext : JsonSerializerContext;
