using System.Text;

namespace Orchestrator.Core.Settings;

/// <summary>
/// docs/settings.md, rendered from <see cref="SettingsTable"/> (a test fails when the file differs,
/// so the page cannot drift from the table; <c>ORCHESTRATOR_UPDATE_DOCS=1 dotnet test</c> rewrites it).
/// </summary>
public static class SettingsReference
{
    private static readonly (string Title, SettingSurface Exec, SettingSurface Pipeline)[] Doors =
    [
        ("MSBuild", SettingSurface.MSBuildExec, SettingSurface.MSBuildPipeline),
        ("Cake", SettingSurface.CakeExec, SettingSurface.CakePipeline),
        ("CLI", SettingSurface.CliExec, SettingSurface.CliPipeline),
        ("Node SDK", SettingSurface.NodeExec, SettingSurface.NodePipeline),
    ];

    /// <summary>The whole page, ending with a newline.</summary>
    public static string Render()
    {
        var page = new StringBuilder();
        page.Append("""
            # Settings reference

            <!-- Rendered from src/Core/Settings/SettingsTable.cs by SettingsReference.Render(); do not edit by hand.
                 After changing the table: ORCHESTRATOR_UPDATE_DOCS=1 dotnet test tests/Orchestrator.Core.Tests --filter SettingsParityTests -->

            Every setting of a run or a command, and its name in each place it can be set. Precedence, highest
            first: the door's own value (MSBuild property or task parameter, Cake setting, CLI flag, SDK
            property), the environment variable, the repository's `orchestrator.yaml` (or `ORCHESTRATOR_CONFIG` /
            `--config`), the user's `$XDG_CONFIG_HOME/orchestrator/config.yaml`, the default
            ([configuration.md](configuration.md#precedence)). Each door has two surfaces: running a command
            (`OrchestratorExec`, the `OrchestratorExec` alias, `orchestrator exec`, `exec()`) and running a
            pipeline (the pipeline targets, the pipeline aliases, `orchestrator start`/`resume`, `resume()`);
            "exec:" and "pipeline:" mark a name that only one of them has. The .NET SDK column names the
            member of `ExecRequest`, `ExplicitSettings` or `RunOptions` (docs/guides/sdk.md).

            | setting | type | default | orchestrator.yaml | environment | MSBuild | Cake | CLI | .NET SDK | Node SDK |
            | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |

            """);
        foreach (var setting in SettingsTable.All)
        {
            page.Append("| `").Append(setting.Name).Append("` | ").Append(Escape(setting.Type)).Append(" | ").Append(Escape(setting.Default))
                .Append(" | ").Append(Code(setting.YamlKey)).Append(" | ").Append(Code(setting.EnvironmentVariable));
            foreach (var (title, exec, pipeline) in Doors)
            {
                page.Append(" | ").Append(Cell(setting, exec, pipeline, title == "MSBuild" ? setting.MSBuildProperty : null));
                if (title == "CLI")
                {
                    page.Append(" | ").Append(Code(setting.NameIn(SettingSurface.DotNetSdk)));
                }
            }

            page.Append(" |\n");
        }

        page.Append("""

            ## What each setting means

            """);
        foreach (var setting in SettingsTable.All)
        {
            page.Append("- `").Append(setting.Name).Append("`: ").Append(setting.Description).Append('\n');
        }

        page.Append("""

            ## Where a setting does not apply, and why

            A door without a setting says why here; the settings-parity test fails when a door gains or loses a
            setting without this table saying so.

            """);
        foreach (var setting in SettingsTable.All)
        {
            var reasons = Enum.GetValues<SettingSurface>()
                .Where(surface => setting.WhyAbsentFrom(surface) is not null)
                .GroupBy(surface => setting.WhyAbsentFrom(surface)!)
                .Select(group => $"{string.Join(", ", group.Select(Describe))}: {group.Key}")
                .ToList();
            if (reasons.Count > 0)
            {
                page.Append("- `").Append(setting.Name).Append("`: ").Append(string.Join("; ", reasons)).Append('\n');
            }
        }

        return page.ToString();
    }

    private static string Cell(SettingDefinition setting, SettingSurface exec, SettingSurface pipeline, string? msbuildProperty)
    {
        string? onExec = setting.NameIn(exec);
        string? onPipeline = setting.NameIn(pipeline);
        string names = onExec == onPipeline
            ? Code(onExec)
            : string.Join("; ", new[] { onExec is null ? null : "exec: " + Code(onExec), onPipeline is null ? null : "pipeline: " + Code(onPipeline) }.Where(n => n is not null));
        if (names.Length == 0 || names == "—")
        {
            return "—";
        }

        return msbuildProperty is null ? names : $"{Code(msbuildProperty)} ({names})";
    }

    private static string Describe(SettingSurface surface) => surface switch
    {
        SettingSurface.MSBuildExec => "MSBuild OrchestratorExec",
        SettingSurface.MSBuildPipeline => "MSBuild pipeline targets",
        SettingSurface.CakeExec => "Cake OrchestratorExec",
        SettingSurface.CakePipeline => "Cake pipeline aliases",
        SettingSurface.CliExec => "orchestrator exec",
        SettingSurface.CliPipeline => "orchestrator start/resume",
        SettingSurface.DotNetSdk => ".NET SDK",
        SettingSurface.NodeExec => "Node exec()",
        _ => "Node resume()",
    };

    private static string Code(string? text) => text is null ? "—" : "`" + text.Replace("|", "\\|", StringComparison.Ordinal) + "`";

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
