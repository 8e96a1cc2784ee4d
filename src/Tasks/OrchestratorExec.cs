using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Orchestrator.Core;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Doors;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Outcomes;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Settings;
using Orchestrator.Core.Validation;
using Orchestrator.Tasks.Logging;

namespace Orchestrator.Tasks;

/// <summary>
/// Runs one command through the Orchestrator, in the spirit of MSBuild's <c>Exec</c>: output in the
/// build log as it arrives, the exit code as an output, an error when it fails, plus a run manifest,
/// an events.jsonl and raw logs under <c>.runs/&lt;task-id&gt;/cli/&lt;run-id&gt;/</c>.
/// Parameters are documented in docs/msbuild.md.
/// </summary>
public sealed class OrchestratorExec : OrchestratorRunTask
{
    public OrchestratorExec()
        : base(TaskStrings.ResourceManager)
    {
    }

    /// <summary>A shell line run with /bin/sh -c.</summary>
    public string? Command { get; set; }

    /// <summary>The argv, one item per argument, run without a shell.</summary>
    public ITaskItem[]? Argv { get; set; }

    /// <summary>A script file run with /bin/sh; avoids MSBuild's ';' and ',' splitting entirely.</summary>
    public string? ScriptFile { get; set; }

    /// <summary>Arguments passed to <see cref="ScriptFile"/>.</summary>
    public ITaskItem[]? ScriptArguments { get; set; }

    /// <summary>Default: the project's directory.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary><c>NAME=value</c> pairs added to (or overriding) the inherited environment.</summary>
    public string[]? EnvironmentVariables { get; set; }

    /// <summary>
    /// When the process tree is ended: milliseconds as with <c>Exec</c> (<c>300000</c>), or a duration
    /// as in the CLI and YAML (<c>5m</c>, <c>30s</c>, <c>250ms</c>); empty, -1 or 0 (default) = none.
    /// </summary>
    public string? Timeout { get; set; }

    /// <summary>Milliseconds between SIGTERM and SIGKILL on timeout or cancellation (default 2000).</summary>
    public int KillGracePeriod { get; set; } = -1;

    /// <summary>Do not fail the build on a non-zero exit code (timeouts, start failures and cancellation still fail it).</summary>
    public bool IgnoreExitCode { get; set; }

    /// <summary>The command's id in the manifest and its raw log names.</summary>
    public string? CommandId { get; set; }

    public string? Title { get; set; }

    /// <summary>High (default), Normal or Low.</summary>
    public string? StandardOutputImportance { get; set; }

    /// <summary>High (default), Normal or Low.</summary>
    public string? StandardErrorImportance { get; set; }

    /// <summary>Log each stderr line as an error (like Exec's LogStandardErrorAsError).</summary>
    public bool LogStandardErrorAsError { get; set; }

    /// <summary>Do not log the command line.</summary>
    public bool EchoOff { get; set; }

    /// <summary>Bytes of output per command emitted as exec:chunk events (default 1 MiB, 0 = unlimited).</summary>
    public string? OutputEventBudget { get; set; }

    /// <summary>Head+tail bytes kept per stream in the manifest (default 64 KiB).</summary>
    public string? OutputCaptureBytes { get; set; }

    /// <summary>Collect output lines into <see cref="ConsoleOutput"/>.</summary>
    public bool ConsoleToMSBuild { get; set; }

    /// <summary>Ask to run outside the sandbox from the start; needs an approval (config rule or cache).</summary>
    public bool RequestEscalation { get; set; }

    /// <summary>Run on a pseudo-terminal (one merged output stream) instead of pipes.</summary>
    public bool UsePty { get; set; }

    /// <summary>Run in the reusable PTY session with this id (started on first use, kept in the build process).</summary>
    public string? SessionId { get; set; }

    /// <summary>Keep the session after this command (default true); false ends it.</summary>
    public bool PersistSession { get; set; } = true;

    /// <summary>Terminal width in columns for UsePty/SessionId (default 120).</summary>
    public int TerminalColumns { get; set; }

    /// <summary>Terminal height in rows for UsePty/SessionId (default 40).</summary>
    public int TerminalRows { get; set; }

    [Output]
    public int ExitCode { get; private set; } = -1;

    [Output]
    public string? RunId { get; private set; }

    [Output]
    public string? ManifestPath { get; private set; }

    [Output]
    public string? EventsPath { get; private set; }

    /// <summary>The command's status: succeeded, failed, timed_out, cancelled or denied.</summary>
    [Output]
    public string? Status { get; private set; }

    [Output]
    public ITaskItem[] ConsoleOutput { get; private set; } = [];

    public override bool Execute()
    {
        // Overlaps the serializers' first-use cost with reading the parameters and the configuration.
        _ = Warmup.Start();
        if (!TryBuildRequest(out ExecRequest? request) || !TryBuildOptions(out RunOptions? options, out BuildLogBridge? bridge))
        {
            return false;
        }

        using (bridge)
        {
            var run = StartRun(request, options, bridge);
            bridge.Drain(LogEntry);

            RunResult result;
            try
            {
                result = run.GetAwaiter().GetResult();
            }
            catch (OrchestratorException ex)
            {
                LogOrchestratorError(ex);
                return false;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or PlatformNotSupportedException)
            {
                Log.LogOutcome(MessageCatalogue.InternalFailure(ex.Message));
                return false;
            }

            Report(result, request, bridge, options.DrainTimeout);
            ReportTelemetryAndNotifications(result);
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// Starts the run on this thread: everything up to the command's start (manifest, events, spawn)
    /// runs here without waiting for a pool thread to wake, and the rest continues on the pool while
    /// this thread logs what the bridge queues. It runs as a task on the default scheduler with no
    /// synchronization context, exactly as on a pool thread: MSBuild runs tasks on its own
    /// scheduler's thread, which is about to block in the bridge's <c>Drain</c>, so nothing
    /// the run posts (a Task.Yield, a continuation) may be queued to it.
    /// </summary>
    private System.Threading.Tasks.Task<RunResult> StartRun(ExecRequest request, RunOptions options, BuildLogBridge bridge)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            var start = new System.Threading.Tasks.Task<System.Threading.Tasks.Task<RunResult>>(() => RunAsync(request, options, bridge));
            start.RunSynchronously(System.Threading.Tasks.TaskScheduler.Default);
            return start.Result;
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private async System.Threading.Tasks.Task<RunResult> RunAsync(ExecRequest request, RunOptions options, BuildLogBridge bridge)
    {
        try
        {
            return await new OrchestratorClient().ExecAsync(request, options, Cancellation).ConfigureAwait(false);
        }
        finally
        {
            bridge.Complete();
        }
    }

    private void Report(RunResult result, ExecRequest request, BuildLogBridge bridge, TimeSpan drainTimeout)
    {
        RunId = result.RunId;
        ManifestPath = result.ManifestPath;
        EventsPath = result.EventsPath;
        var toolRun = result.ToolRuns[0];
        var command = toolRun.Final;
        Status = WireNames.Of(toolRun.Status);
        ExitCode = command?.ExitCode ?? -1;
        if (ConsoleToMSBuild)
        {
            ConsoleOutput = [.. bridge.ConsoleLines.Select(line => (ITaskItem)new TaskItem(EscapingUtilitiesShim.Escape(line)))];
            if (bridge.ConsoleLinesTruncated)
            {
                Log.LogWarningWithCodeFromResources("ConsoleOutputTruncated", BuildLogBridge.MaxConsoleLines, result.ManifestPath);
            }
        }

        Log.LogMessage(MessageImportance.Normal, $"Orchestrator run {result.RunId} ({Status}, {WireNames.Of(toolRun.SandboxState)}): {result.ManifestPath}");
        var outcome = CommandOutcomes.Of(toolRun, result.ManifestPath, IgnoreExitCode, drainTimeout);
        foreach (var notice in outcome.Notices)
        {
            LogOutcome(notice);
        }

        if (outcome.Error is { } error)
        {
            LogOutcome(error);
        }
    }

    private void LogOutcome(OutcomeMessage message) => Log.LogOutcome(message);

    /// <summary>Neither changes the build's result; both are worth a warning the user sees.</summary>
    private void ReportTelemetryAndNotifications(RunResult result)
    {
        if (result.Manifest is not { } manifest)
        {
            return;
        }

        foreach (var warning in manifest.Warnings.Where(w => w.Code.StartsWith("Telemetry", StringComparison.Ordinal)))
        {
            Log.LogWarningWithCodeFromResources("TelemetryProblem", warning.Message, result.ManifestPath);
        }

        if (manifest.Telemetry is { Enabled: true, Failures.Count: > 0 } telemetry)
        {
            string what = telemetry.Disabled
                ? $"telemetry was turned off for the run after {telemetry.Failures.Count} failed exports ({telemetry.Failures.LastReason})"
                : $"{telemetry.Failures.Count} telemetry export(s) failed ({telemetry.Failures.LastReason})";
            Log.LogWarningWithCodeFromResources("TelemetryProblem", $"OTLP endpoint {telemetry.Endpoint}: {what}.", result.ManifestPath);
        }

        foreach (var delivery in manifest.Notifications?.Deliveries.Where(d => !d.Delivered) ?? [])
        {
            Log.LogWarningWithCodeFromResources("NotificationFailed", delivery.Target, delivery.Failure ?? "not delivered", result.ManifestPath);
        }
    }

    private bool TryBuildRequest([NotNullWhen(true)] out ExecRequest? request)
    {
        string projectDirectory = ProjectDirectory();
        var input = new ExecInput
        {
            Command = Command,
            Argv = Argv is { Length: > 0 } argv ? [.. argv.Select(item => item.ItemSpec)] : null,
            ScriptFile = ScriptFile,
            ScriptArguments = ScriptArguments is { Length: > 0 } arguments ? [.. arguments.Select(item => item.ItemSpec)] : null,
            WorkingDirectory = string.IsNullOrWhiteSpace(WorkingDirectory) ? projectDirectory : Path.GetFullPath(WorkingDirectory, projectDirectory),
            EnvironmentEntries = EnvironmentVariables,

            // Exec's conventions: plain milliseconds, and -1 or 0 for no timeout.
            Timeout = Timeout?.Trim() is "-1" or "0" ? null : Timeout,
            PlainDurationUnit = PlainNumberUnit.Milliseconds,
            CommandId = CommandId,
            Title = Title,
            RequestEscalation = RequestEscalation,
            UsePty = UsePty,
            SessionId = SessionId,
            PersistSession = PersistSession,

            // 0 keeps the default size; an MSBuild int cannot be left unset.
            TerminalColumns = TerminalColumns == 0 ? null : TerminalColumns.ToString(CultureInfo.InvariantCulture),
            TerminalRows = TerminalRows == 0 ? null : TerminalRows.ToString(CultureInfo.InvariantCulture),
        };
        if (!ExecInputReader.TryRead(input, SettingSurface.MSBuildExec, out request, out OutcomeMessage? problem))
        {
            LogOutcome(problem!);
            return false;
        }

        return true;
    }

    private bool TryBuildOptions([NotNullWhen(true)] out RunOptions? options, [NotNullWhen(true)] out BuildLogBridge? bridge)
    {
        options = null;
        bridge = null;
        var input = RunInput() with
        {
            EventBudgetBytes = OutputEventBudget,
            CaptureBytes = OutputCaptureBytes,

            // -1 (the parameter's default) keeps the run's default.
            KillGracePeriod = KillGracePeriod == -1 ? null : KillGracePeriod.ToString(CultureInfo.InvariantCulture),
            PlainDurationUnit = PlainNumberUnit.Milliseconds,
        };
        if (!RunInputReader.TryRead(input, SettingSurface.MSBuildExec, out RunSettingsInput? read, out OutcomeMessage? problem))
        {
            LogOutcome(problem!);
            return false;
        }

        if (!TryImportance(nameof(StandardOutputImportance), StandardOutputImportance, out var stdoutImportance) ||
            !TryImportance(nameof(StandardErrorImportance), StandardErrorImportance, out var stderrImportance))
        {
            return false;
        }

        bridge = new BuildLogBridge(stdoutImportance, stderrImportance, LogStandardErrorAsError, EchoOff, ConsoleToMSBuild);
        var defaults = new RunOptions();
        var template = defaults with
        {
            Runner = RunnerKind.MSBuild,
            WorkingDirectory = ProjectDirectory(),
            KillGracePeriod = read!.KillGracePeriod ?? defaults.KillGracePeriod,
            Sinks = [bridge],
            OutputTaps = [bridge],
            OtelEndpoint = read.OtelEndpoint,
            Notify = read.Notify,
        };
        try
        {
            options = RunOptionsResolver.Resolve(ProjectDirectory(), read.Settings, template,
                configPath: string.IsNullOrWhiteSpace(ConfigFile) ? null : Path.GetFullPath(ConfigFile, ProjectDirectory()));
        }
        catch (OrchestratorException ex)
        {
            bridge.Dispose();
            bridge = null;
            LogOrchestratorError(ex);
            return false;
        }

        return true;
    }

    private bool TryImportance(string name, string? value, out MessageImportance importance)
    {
        importance = MessageImportance.High;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        if (Enum.TryParse(value, ignoreCase: true, out importance) && Enum.IsDefined(importance))
        {
            return true;
        }

        Log.LogErrorWithCodeFromResources("InvalidParameter", name, value, "use High, Normal or Low");
        return false;
    }

    /// <summary>
    /// MSBuild runs a project's targets with the current directory set to the project's directory
    /// (in a task host too); BuildEngine.ProjectFileOfTaskNode would name the .targets file that
    /// declares the task instead.
    /// </summary>
    private static string ProjectDirectory() => Directory.GetCurrentDirectory();

    private static string EscapeItemSpec(string line) =>
        EscapingUtilitiesShim.Escape(line);
}
