using System.Collections.Immutable;

namespace Orchestrator.Core.Settings;

/// <summary>
/// One setting, and what it is called in every place it can be set. A surface where the setting
/// does not make sense names the reason instead of a member (see <see cref="SettingsTable"/>).
/// </summary>
public sealed record SettingDefinition
{
    private const string AbsentPrefix = "n/a: ";

    /// <summary>The canonical name, used in problems and in docs/settings.md (camelCase, like the YAML keys).</summary>
    public required string Name { get; init; }

    /// <summary>What values it takes, as the docs say it (<c>duration</c>, <c>bool</c>, <c>bytes</c>...).</summary>
    public required string Type { get; init; }

    /// <summary>The value when nothing sets it.</summary>
    public required string Default { get; init; }

    /// <summary>One sentence for the reference table.</summary>
    public required string Description { get; init; }

    /// <summary>The orchestrator.yaml key (dotted for nested keys); null when the file cannot set it.</summary>
    public string? YamlKey { get; init; }

    /// <summary>The environment variable; null when the environment cannot set it.</summary>
    public string? EnvironmentVariable { get; init; }

    /// <summary>The MSBuild property the targets pass to the task (<c>OrchestratorTimeout</c>); null when there is none.</summary>
    public string? MSBuildProperty { get; init; }

    /// <summary>Every surface: the member name there, or <c>n/a: </c> and why it has none.</summary>
    public required ImmutableDictionary<SettingSurface, string> Surfaces { get; init; }

    /// <summary>The member that carries the setting on <paramref name="surface"/>, or null when the surface has none.</summary>
    public string? NameIn(SettingSurface surface) =>
        Surfaces.TryGetValue(surface, out string? name) && !name.StartsWith(AbsentPrefix, StringComparison.Ordinal) ? name : null;

    /// <summary>Why <paramref name="surface"/> has no member for this setting, or null when it has one.</summary>
    public string? WhyAbsentFrom(SettingSurface surface) =>
        Surfaces.TryGetValue(surface, out string? name) && name.StartsWith(AbsentPrefix, StringComparison.Ordinal) ? name[AbsentPrefix.Length..] : null;

    /// <summary>A surface entry saying the setting does not belong there, and why.</summary>
    public static string Absent(string reason) => AbsentPrefix + reason;
}
