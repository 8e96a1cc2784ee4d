using System.Text.Json.Serialization;

namespace Orchestrator.Core.Orchestration.Approvals;

/// <summary>Where a decision came from (the manifest's <c>approvalSource</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalSource>))]
public enum ApprovalSource
{
    /// <summary>Nothing needed approving.</summary>
    [JsonStringEnumMemberName("not-required")] NotRequired,

    /// <summary>An earlier approval stored in the approval cache.</summary>
    [JsonStringEnumMemberName("cache")] Cache,

    /// <summary>A pre-approval rule in the configuration.</summary>
    [JsonStringEnumMemberName("config")] Config,

    /// <summary>A person answered an interactive prompt.</summary>
    [JsonStringEnumMemberName("prompt")] Prompt,

    /// <summary>Approval was needed and not given.</summary>
    [JsonStringEnumMemberName("denied")] Denied,
}
