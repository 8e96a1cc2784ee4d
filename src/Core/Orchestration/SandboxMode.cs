using System.Text.Json.Serialization;

namespace Orchestrator.Core.Orchestration;

/// <summary>What a sandboxed command may write.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SandboxMode>))]
public enum SandboxMode
{
    [JsonStringEnumMemberName("read-only")] ReadOnly,
    [JsonStringEnumMemberName("workspace-write")] WorkspaceWrite,
    [JsonStringEnumMemberName("danger-full-access")] DangerFullAccess,
}
