using System.Text.Json.Serialization;

namespace Orchestrator.Core.Orchestration;

/// <summary>When a command needs an approval (semantics for builds in docs/guides/approvals.md).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalPolicy>))]
public enum ApprovalPolicy
{
    [JsonStringEnumMemberName("untrusted")] Untrusted,
    [JsonStringEnumMemberName("on-failure")] OnFailure,
    [JsonStringEnumMemberName("on-request")] OnRequest,
    [JsonStringEnumMemberName("never")] Never,
}
