using System.Text.Json.Serialization;

namespace Orchestrator.Core.Runs;

/// <summary>Which door started a run.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunnerKind>))]
public enum RunnerKind
{
    [JsonStringEnumMemberName("msbuild")] MSBuild,
    [JsonStringEnumMemberName("cake")] Cake,
    [JsonStringEnumMemberName("cli")] Cli,
    [JsonStringEnumMemberName("sdk")] Sdk,
}
