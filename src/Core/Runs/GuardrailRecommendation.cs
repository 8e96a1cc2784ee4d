using System.Text.Json.Serialization;

namespace Orchestrator.Core.Runs;

/// <summary>What the guardrails recommend (docs/guardrails.md#recommendation).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GuardrailRecommendation>))]
public enum GuardrailRecommendation
{
    [JsonStringEnumMemberName("pass")] Pass,
    [JsonStringEnumMemberName("fail")] Fail,
    [JsonStringEnumMemberName("needs-review")] NeedsReview,
}
