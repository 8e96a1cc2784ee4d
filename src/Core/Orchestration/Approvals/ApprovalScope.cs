using System.Text.Json.Serialization;

namespace Orchestrator.Core.Orchestration.Approvals;

/// <summary>How long an approval lasts.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalScope>))]
public enum ApprovalScope
{
    /// <summary>This one call only; never cached.</summary>
    [JsonStringEnumMemberName("once")] Once,

    /// <summary>The rest of this run.</summary>
    [JsonStringEnumMemberName("run")] Run,

    /// <summary>Every run of this task id.</summary>
    [JsonStringEnumMemberName("task")] Task,

    /// <summary>Every run in this working tree, until it expires.</summary>
    [JsonStringEnumMemberName("persistent")] Persistent,
}
