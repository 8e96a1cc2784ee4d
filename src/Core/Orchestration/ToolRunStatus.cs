using System.Text.Json.Serialization;

namespace Orchestrator.Core.Orchestration;

/// <summary>How a call through the ToolOrchestrator ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ToolRunStatus>))]
public enum ToolRunStatus
{
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("timed_out")] TimedOut,
    [JsonStringEnumMemberName("cancelled")] Cancelled,

    /// <summary>An approval it needed (to run, or to leave the sandbox) was not given.</summary>
    [JsonStringEnumMemberName("denied")] Denied,
}
