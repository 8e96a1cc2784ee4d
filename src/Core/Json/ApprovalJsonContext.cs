using System.Text.Json.Serialization;
using Orchestrator.Core.Orchestration.Approvals;

namespace Orchestrator.Core.Json;

/// <summary>Source-generated serialization for approval cache lines: compact, camelCase, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(ApprovalCacheEntry))]
public sealed partial class ApprovalJsonContext : JsonSerializerContext;
