using System.Text.Json.Serialization;

namespace Orchestrator.Core.Configuration;

/// <summary>Which level supplied an effective setting, highest precedence first.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SettingSource>))]
public enum SettingSource
{
    /// <summary>The door: an MSBuild property, a Cake setting, a CLI flag, an SDK argument.</summary>
    [JsonStringEnumMemberName("explicit")] Explicit,

    /// <summary>An <c>ORCHESTRATOR_*</c> variable (or <c>MCP_RUNNER_TASK_ID</c>).</summary>
    [JsonStringEnumMemberName("environment")] Environment,

    /// <summary>The repository's <c>orchestrator.yaml</c>, or the file <c>ORCHESTRATOR_CONFIG</c> names instead.</summary>
    [JsonStringEnumMemberName("repo")] Repo,

    /// <summary>The user's <c>$XDG_CONFIG_HOME/orchestrator/config.yaml</c>.</summary>
    [JsonStringEnumMemberName("user")] User,

    /// <summary>Nothing set it: the built-in default.</summary>
    [JsonStringEnumMemberName("default")] Default,
}
