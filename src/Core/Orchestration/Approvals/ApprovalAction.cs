using System.Text.Json.Serialization;

namespace Orchestrator.Core.Orchestration.Approvals;

/// <summary>What an approval allows.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalAction>))]
public enum ApprovalAction
{
    /// <summary>Run the command at all (the untrusted policy asks this for commands off the safe list).</summary>
    [JsonStringEnumMemberName("run")] Run,

    /// <summary>Run the command outside the sandbox (after a denial, on request, or when no sandbox is available).</summary>
    [JsonStringEnumMemberName("escalate")] Escalate,
}
