using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.IO;
using Cake.Orchestrator.Logging;
using Orchestrator.Core;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Doors;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Outcomes;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Settings;
using Orchestrator.Core.Validation;

namespace Cake.Orchestrator;

/// <summary>
/// Runs a command through the Orchestrator from a Cake script: approval, sandbox, retries, output in
/// the Cake log as it arrives, and a manifest + events.jsonl under <c>.runs/&lt;task-id&gt;/cli/&lt;run-id&gt;/</c>.
/// </summary>
[CakeAliasCategory("Orchestrator")]
public static class OrchestratorExecAliases
{
    /// <summary>Runs a shell line; throws a <see cref="CakeException"/> unless it succeeds.</summary>
    /// <example><code>OrchestratorExec("dotnet --version");</code></example>
    [CakeMethodAlias]
    public static OrchestratorExecResult OrchestratorExec(this ICakeContext context, string command) =>
        OrchestratorExec(context, new OrchestratorExecSettings { Command = command });

    /// <summary>Runs the command the settings describe; throws a <see cref="CakeException"/> unless it succeeds (or only its exit code is non-zero and <see cref="OrchestratorExecSettings.IgnoreExitCode"/> is set).</summary>
    /// <example><code>var result = OrchestratorExec(new OrchestratorExecSettings { Argv = { "dotnet", "test" }, Timeout = TimeSpan.FromMinutes(10) });</code></example>
    [CakeMethodAlias]
    public static OrchestratorExecResult OrchestratorExec(this ICakeContext context, OrchestratorExecSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        _ = Warmup.Start();
        string cwd = CakeRunOptions.WorkingDirectory(context, settings);
        ExecRequest request = BuildRequest(context, settings, cwd);
        using var bridge = new CakeLogBridge(settings.OutputVerbosity, settings.EchoOff);
        RunOptions options = CakeRunOptions.Resolve(context, settings, cwd, bridge, CakeRunOptions.Input(context, settings) with
        {
            EventBudgetBytes = CakeRunOptions.Text(settings.OutputEventBudget),
            CaptureBytes = CakeRunOptions.Text(settings.OutputCaptureBytes),
            KillGracePeriod = CakeRunOptions.Text(settings.KillGracePeriod),
        }, SettingSurface.CakeExec);

        RunResult result = bridge.RunAndDrain(context.Log, () => new OrchestratorClient().ExecAsync(request, options, CancellationToken.None));

        return Report(context, settings, result, options.DrainTimeout);
    }

    private static OrchestratorExecResult Report(ICakeContext context, OrchestratorExecSettings settings, RunResult result, TimeSpan drainTimeout)
    {
        var toolRun = result.ToolRuns[0];
        var command = toolRun.Final;
        string status = WireNames.Of(toolRun.Status);
        var outcome = new OrchestratorExecResult
        {
            ExitCode = command?.ExitCode ?? -1,
            Status = status,
            SandboxState = WireNames.Of(toolRun.SandboxState),
            TaskId = result.TaskId,
            RunId = result.RunId,
            RunDirectory = result.RunDirectory,
            ManifestPath = result.ManifestPath,
            EventsPath = result.EventsPath,
            StandardOutput = command?.Stdout.Text ?? "",
            StandardError = command?.Stderr.Text ?? "",
        };
        context.Log.Write(Core.Diagnostics.Verbosity.Verbose, Core.Diagnostics.LogLevel.Information,
            "Orchestrator run {0} ({1}, {2}): {3}", result.RunId, status, outcome.SandboxState, result.ManifestPath);

        var classified = CommandOutcomes.Of(toolRun, result.ManifestPath, settings.IgnoreExitCode, drainTimeout);
        foreach (var notice in classified.Notices)
        {
            CakeOutcomes.Log(context, notice);
        }

        return classified.Error is { } error ? throw new CakeException(error.ToString()) : outcome;
    }

    private static ExecRequest BuildRequest(ICakeContext context, OrchestratorExecSettings settings, string cwd)
    {
        var input = new ExecInput
        {
            Command = settings.Command,
            Argv = settings.Argv is { } argv ? [.. argv] : null,
            ScriptFile = settings.ScriptFile?.MakeAbsolute(new DirectoryPath(cwd)).FullPath,
            ScriptArguments = settings.ScriptArguments is { } arguments ? [.. arguments] : null,
            WorkingDirectory = cwd,
            EnvironmentVariables = settings.EnvironmentVariables?.ToDictionary(StringComparer.Ordinal),
            Timeout = CakeRunOptions.Text(settings.Timeout),
            PlainDurationUnit = PlainNumberUnit.Milliseconds,
            CommandId = settings.CommandId,
            Title = settings.Title,
            RequestEscalation = settings.RequestEscalation,
            UsePty = settings.UsePty,
            SessionId = settings.SessionId,
            PersistSession = settings.PersistSession,
            TerminalColumns = CakeRunOptions.Text(settings.TerminalColumns),
            TerminalRows = CakeRunOptions.Text(settings.TerminalRows),
        };
        return ExecInputReader.TryRead(input, SettingSurface.CakeExec, out ExecRequest? request, out OutcomeMessage? problem)
            ? request!
            : throw new CakeException(problem!.ToString());
    }
}
