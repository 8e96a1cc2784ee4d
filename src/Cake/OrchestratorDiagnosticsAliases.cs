using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.Diagnostics;
using Cake.Orchestrator.Logging;
using Orchestrator.Core;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Outcomes;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Settings;

namespace Cake.Orchestrator;

/// <summary>The built-in diagnostics from a Cake script (no configuration needed): the summary in the Cake log, the checks as objects.</summary>
[CakeAliasCategory("Orchestrator")]
public static class OrchestratorDiagnosticsAliases
{
    [CakeMethodAlias]
    public static OrchestratorDiagnosticResult OrchestratorDiagnostics(this ICakeContext context) =>
        OrchestratorDiagnostics(context, new OrchestratorDiagnosticsSettings());

    /// <summary>Runs the diagnostics; throws a <see cref="CakeException"/> when a check fails (unless <see cref="OrchestratorDiagnosticsSettings.FailOnFailedCheck"/> is false).</summary>
    [CakeMethodAlias]
    public static OrchestratorDiagnosticResult OrchestratorDiagnostics(this ICakeContext context, OrchestratorDiagnosticsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        string cwd = CakeRunOptions.WorkingDirectory(context, settings);
        using var bridge = new CakeLogBridge(Verbosity.Verbose, echoOff: false);
        RunOptions options = CakeRunOptions.Resolve(context, settings, cwd, bridge, CakeRunOptions.Input(context, settings), SettingSurface.CakePipeline);
        DiagnosticsResult result = bridge.RunAndDrain(context.Log, () => new OrchestratorClient().RunDiagnosticsAsync(options));

        foreach (string line in result.Summary.Split('\n'))
        {
            context.Log.Write(Verbosity.Normal, LogLevel.Information, "{0}", line.TrimEnd('\r'));
        }

        CakeOutcomes.Render(context, PipelineOutcomes.Of(result), ignoreFailure: !settings.FailOnFailedCheck);

        return new OrchestratorDiagnosticResult
        {
            TaskId = result.TaskId,
            RunId = result.RunId,
            Status = WireNames.Of(result.Status),
            ManifestPath = result.ManifestPath,
            EventsPath = result.EventsPath,
            SummaryPath = result.SummaryPath,
            ReportPath = result.ReportPath,
            Summary = result.Summary,
            Checks = [.. result.Checks.Select(c => new OrchestratorDiagnosticCheck(c.Id, c.Title, WireNames.Of(c.Status), c.Detail, c.Facts))],
        };
    }
}
