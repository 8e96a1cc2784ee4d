using System.Text.Json.Serialization;

namespace Orchestrator.Core.Orchestration;

/// <summary>How a tool run's last attempt was (or was not) sandboxed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SandboxState>))]
public enum SandboxState
{
    /// <summary>It ran in the sandbox.</summary>
    [JsonStringEnumMemberName("sandboxed")] Sandboxed,

    /// <summary>It ran outside the sandbox with an approval (after a denial, or on request).</summary>
    [JsonStringEnumMemberName("escalated")] Escalated,

    /// <summary>The sandbox mode is danger-full-access: no sandbox was asked for.</summary>
    [JsonStringEnumMemberName("unsandboxed")] Unsandboxed,

    /// <summary>No sandbox exists here (bwrap missing); it ran outside only with an approval, or did not run.</summary>
    [JsonStringEnumMemberName("unavailable")] Unavailable,

    /// <summary>bwrap exists but could not build a sandbox; it ran outside only with an approval, or did not run.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
}
