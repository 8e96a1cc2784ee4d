using System.Text.Json.Serialization;

namespace Orchestrator.Core.Runs;

/// <summary>The outcome of one diagnostics check.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DiagnosticCheckStatus>))]
public enum DiagnosticCheckStatus
{
    /// <summary>Works.</summary>
    [JsonStringEnumMemberName("pass")] Pass,

    /// <summary>Works in a degraded way or is absent but optional (no git repo, no bubblewrap, no instructions).</summary>
    [JsonStringEnumMemberName("warn")] Warn,

    /// <summary>Broken: runs will fail or be wrong (invalid configuration, a runs root that cannot be written).</summary>
    [JsonStringEnumMemberName("fail")] Fail,
}
