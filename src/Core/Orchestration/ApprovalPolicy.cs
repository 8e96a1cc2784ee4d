using System.Text.Json.Serialization;

namespace Orchestrator.Core.Orchestration;

/// <summary>When a command needs an approval (applied by the ToolOrchestrator).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalPolicy>))]
public enum ApprovalPolicy
{
    [JsonStringEnumMemberName("untrusted")] Untrusted,
    [JsonStringEnumMemberName("on-failure")] OnFailure,
    [JsonStringEnumMemberName("on-request")] OnRequest,
    [JsonStringEnumMemberName("never")] Never,
}
