using System.Text.Json.Serialization;

namespace Orchestrator.Core.Notifications;

/// <summary>
/// Where a run's notification targets came from. The first source with any target wins whole:
/// the door, then <c>ORCHESTRATOR_NOTIFY</c>, then the configuration files.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<NotificationSource>))]
public enum NotificationSource
{
    /// <summary>No source named a target: nothing is delivered.</summary>
    [JsonStringEnumMemberName("none")] None,

    /// <summary>The CLI's <c>--notify</c> option.</summary>
    [JsonStringEnumMemberName("cli")] Cli,

    /// <summary>The MSBuild property <c>OrchestratorNotify</c>.</summary>
    [JsonStringEnumMemberName("msbuild")] MSBuild,

    /// <summary>The Cake alias settings.</summary>
    [JsonStringEnumMemberName("cake")] Cake,

    /// <summary>An SDK caller (<c>OrchestratorClient</c>).</summary>
    [JsonStringEnumMemberName("sdk")] Sdk,

    /// <summary>The <c>ORCHESTRATOR_NOTIFY</c> variable.</summary>
    [JsonStringEnumMemberName("environment")] Environment,

    /// <summary>The <c>notify:</c> list of the repo file, else the user file.</summary>
    [JsonStringEnumMemberName("config")] Config,
}
