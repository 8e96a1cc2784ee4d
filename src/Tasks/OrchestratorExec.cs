using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Orchestrator.Core;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Outcomes;
using Orchestrator.Core.Validation;
using Orchestrator.Core.Runs;
using Orchestrator.Tasks.Logging;

namespace Orchestrator.Tasks;

/// <summary>
/// Runs one command through the Orchestrator, in the spirit of MSBuild's <c>Exec</c>: output in the
/// build log as it arrives, the exit code as an output, an error when it fails, plus a run manifest,
/// an events.jsonl and raw logs under <c>.runs/&lt;task-id&gt;/cli/&lt;run-id&gt;/</c>.
/// Parameters are documented in docs/msbuild.md.
/// </summary>
public sealed class OrchestratorExec : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancel = new();

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

    public string? TaskId { get; set; }

    public string? RunsRoot { get; set; }

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

    /// <summary>untrusted, on-failure, on-request or never (default: configuration, else on-failure).</summary>
    public string? ApprovalPolicy { get; set; }

    /// <summary>read-only, workspace-write or danger-full-access (default: configuration, else workspace-write).</summary>
    public string? SandboxMode { get; set; }

    /// <summary>Allow sandboxed commands the network (default: configuration, else false).</summary>
    public string? NetworkAccess { get; set; }

    /// <summary>Extra directories writable in workspace-write (default: configuration, else none).</summary>
    public string[]? WritableRoots { get; set; }

    /// <summary>Attempts for a transiently failing command, the first included (default: configuration, else 3).</summary>
    public string? MaxAttempts { get; set; }

    /// <summary>Ask to run outside the sandbox from the start; needs an approval (config rule or cache).</summary>
    public bool RequestEscalation { get; set; }

    /// <summary>A configuration file to use instead of the repository's orchestrator.yaml.</summary>
    public string? ConfigFile { get; set; }

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

    /// <summary>OTLP endpoint for this run's traces and metrics (beats OTEL_EXPORTER_OTLP_ENDPOINT and the configuration); <c>off</c> turns telemetry off. docs/telemetry.md.</summary>
    public string? OtelEndpoint { get; set; }

    /// <summary>Notification targets, separated by <c>;</c> or <c>,</c> (beat ORCHESTRATOR_NOTIFY and the configuration). docs/notifications.md.</summary>
    public string? Notify { get; set; }

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

    public void Cancel() => _cancel.Cancel();

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
                Log.LogErrorWithCodeFromResources("InternalError", ex.Message);
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
    /// scheduler's thread, which is about to block in <see cref="BuildLogBridge.Drain"/>, so nothing
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
            return await new OrchestratorClient().ExecAsync(request, options, _cancel.Token).ConfigureAwait(false);
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

    /// <summary>Renders a catalogue message: an error or warning with its code, or a message at high importance.</summary>
    private void LogOutcome(OutcomeMessage message)
    {
        switch (message.Severity)
        {
            case OutcomeSeverity.Error:
                Log.LogError(null, message.Code, null, null, 0, 0, 0, 0, "{0}", message.Text);
                break;
            case OutcomeSeverity.Warning:
                Log.LogWarning(null, message.Code, null, null, 0, 0, 0, 0, "{0}", message.Text);
                break;
            default:
                Log.LogMessage(MessageImportance.High, "{0}", message.ToString());
                break;
        }
    }

    private void LogEntry(BuildLogEntry entry)
    {
        switch (entry.Kind)
        {
            case BuildLogEntryKind.CommandLine:
                Log.LogCommandLine(entry.Importance, entry.Text);
                break;
            case BuildLogEntryKind.Error:
                Log.LogError(entry.Text);
                break;
            default:
                Log.LogMessage(entry.Importance, "{0}", entry.Text);
                break;
        }
    }

    /// <summary>Splits the property value on <c>;</c> and on commas outside quotes; empty pieces are dropped.</summary>
    private static IReadOnlyList<string> NotifyTargets(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : [.. value.Split(';').SelectMany(part => Orchestrator.Core.Notifications.NotificationSettings.SplitList(part)).Where(t => t.Length > 0)];

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

    private void LogOrchestratorError(OrchestratorException ex)
    {
        switch (ex.Code)
        {
            case OrchestratorErrorCode.InvalidTaskId:
                Log.LogErrorWithCodeFromResources("InvalidTaskId", ex.Message);
                break;
            case OrchestratorErrorCode.RunsRootNotWritable:
                Log.LogErrorWithCodeFromResources("RunsRootNotWritable", ex.Message);
                break;
            case OrchestratorErrorCode.InvalidConfiguration:
                Log.LogErrorWithCodeFromResources("InvalidConfiguration", ex.Message);
                break;
            case OrchestratorErrorCode.InvalidRequest:
            case OrchestratorErrorCode.InvalidRunId:
                Log.LogErrorWithCodeFromResources("InvalidRequest", ex.Message);
                break;
            default:
                Log.LogErrorWithCodeFromResources("InternalError", ex.Message);
                break;
        }
    }

    private bool TryBuildRequest([NotNullWhen(true)] out ExecRequest? request)
    {
        request = null;
        var given = new List<string>(3);
        if (!string.IsNullOrWhiteSpace(Command))
        {
            given.Add("Command");
        }

        if (Argv is { Length: > 0 })
        {
            given.Add("Argv");
        }

        if (!string.IsNullOrWhiteSpace(ScriptFile))
        {
            given.Add("ScriptFile");
        }

        if (given.Count == 0)
        {
            Log.LogErrorWithCodeFromResources("NoCommand");
            return false;
        }

        if (given.Count > 1)
        {
            Log.LogErrorWithCodeFromResources("ConflictingCommand", string.Join(", ", given));
            return false;
        }

        string projectDirectory = ProjectDirectory();
        string cwd = string.IsNullOrWhiteSpace(WorkingDirectory) ? projectDirectory : Path.GetFullPath(WorkingDirectory, projectDirectory);
        CommandSpec spec;
        ImmutableArray<string> readable = [];
        if (given[0] == "Command")
        {
            spec = CommandSpec.FromShell(Command!);
        }
        else if (given[0] == "Argv")
        {
            spec = CommandSpec.FromArgv(Argv!.Select(item => item.ItemSpec));
        }
        else
        {
            string script = Path.GetFullPath(ScriptFile!, cwd);
            if (!File.Exists(script))
            {
                Log.LogErrorWithCodeFromResources("ScriptNotFound", script);
                return false;
            }

            spec = CommandSpec.FromArgv([CommandSpec.DefaultShell, script, .. (ScriptArguments ?? []).Select(item => item.ItemSpec)]);
            readable = [script];
        }

        var environment = ImmutableDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
        foreach (string entry in EnvironmentVariables ?? [])
        {
            int equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                Log.LogErrorWithCodeFromResources("InvalidEnvironmentEntry", entry);
                return false;
            }

            environment[entry[..equals]] = entry[(equals + 1)..];
        }

        TimeSpan? timeout = null;
        if (!string.IsNullOrWhiteSpace(Timeout) && Timeout.Trim() is not ("-1" or "0"))
        {
            if (!Durations.TryParse(Timeout, PlainNumberUnit.Milliseconds, out TimeSpan parsed, out string? problem))
            {
                Log.LogErrorWithCodeFromResources("InvalidParameter", "Timeout", Timeout, problem + "; -1 or 0 for none");
                return false;
            }

            timeout = parsed;
        }

        if (TerminalColumns is < 0 or > 1000 || TerminalRows is < 0 or > 1000)
        {
            Log.LogErrorWithCodeFromResources("InvalidParameter", "TerminalColumns/TerminalRows", $"{TerminalColumns}x{TerminalRows}", "use 1-1000 (0 for the default 120x40)");
            return false;
        }

        string? sessionId = string.IsNullOrWhiteSpace(SessionId) ? null : SessionId.Trim();
        if (sessionId is not null && !IsValidSessionId(sessionId))
        {
            Log.LogErrorWithCodeFromResources("InvalidParameter", "SessionId", sessionId, "use 1-64 characters from [A-Za-z0-9._-]");
            return false;
        }

        request = new ExecRequest
        {
            Command = spec,
            UsePty = UsePty,
            SessionId = sessionId,
            PersistSession = PersistSession,
            Terminal = TerminalColumns > 0 || TerminalRows > 0
                ? new TerminalSize(TerminalColumns > 0 ? TerminalColumns : TerminalSize.Default.Columns, TerminalRows > 0 ? TerminalRows : TerminalSize.Default.Rows)
                : null,
            RequestEscalation = RequestEscalation,
            ReadablePaths = readable,
            WorkingDirectory = cwd,
            Environment = environment.ToImmutable(),
            Timeout = timeout,
            Id = string.IsNullOrWhiteSpace(CommandId) ? null : CommandId,
            Title = string.IsNullOrWhiteSpace(Title) ? null : Title,
        };
        return true;
    }

    private static bool IsValidSessionId(string id)
    {
        try
        {
            Orchestrator.Core.Exec.Sessions.ExecSessionManager.ValidateId(id);
            return true;
        }
        catch (OrchestratorException)
        {
            return false;
        }
    }

    private bool TryBuildOptions([NotNullWhen(true)] out RunOptions? options, [NotNullWhen(true)] out BuildLogBridge? bridge)
    {
        options = null;
        bridge = null;
        if (!string.IsNullOrWhiteSpace(TaskId) && !Orchestrator.Core.Runs.TaskId.IsValid(TaskId, out string? taskIdProblem))
        {
            // Checked before anything else so a bad task id can never name a path.
            Log.LogErrorWithCodeFromResources("InvalidTaskId", $"Invalid task id '{TaskId}': {taskIdProblem}.");
            return false;
        }

        if (!TryImportance(nameof(StandardOutputImportance), StandardOutputImportance, out var stdoutImportance) ||
            !TryImportance(nameof(StandardErrorImportance), StandardErrorImportance, out var stderrImportance))
        {
            return false;
        }

        var output = OutputLimits.Default;
        if (!string.IsNullOrWhiteSpace(OutputEventBudget))
        {
            if (!long.TryParse(OutputEventBudget, NumberStyles.None, CultureInfo.InvariantCulture, out long budget))
            {
                Log.LogErrorWithCodeFromResources("InvalidParameter", nameof(OutputEventBudget), OutputEventBudget, "use a number of bytes, 0 for unlimited");
                return false;
            }

            output = output with { EventBudgetBytes = budget };
        }

        if (!string.IsNullOrWhiteSpace(OutputCaptureBytes))
        {
            if (!int.TryParse(OutputCaptureBytes, NumberStyles.None, CultureInfo.InvariantCulture, out int capture) || capture < 2)
            {
                Log.LogErrorWithCodeFromResources("InvalidParameter", nameof(OutputCaptureBytes), OutputCaptureBytes, "use a number of bytes of at least 2");
                return false;
            }

            output = output with { CaptureBytes = capture };
        }

        if (KillGracePeriod < -1)
        {
            Log.LogErrorWithCodeFromResources("InvalidParameter", nameof(KillGracePeriod), KillGracePeriod, "use milliseconds (0 kills at once)");
            return false;
        }

        if (!TryExplicitSettings(output, out ExplicitSettings? explicitSettings))
        {
            return false;
        }

        bridge = new BuildLogBridge(stdoutImportance, stderrImportance, LogStandardErrorAsError, EchoOff, ConsoleToMSBuild);
        var defaults = new RunOptions();
        var template = defaults with
        {
            Runner = RunnerKind.MSBuild,
            WorkingDirectory = ProjectDirectory(),
            KillGracePeriod = KillGracePeriod >= 0 ? TimeSpan.FromMilliseconds(KillGracePeriod) : defaults.KillGracePeriod,
            Sinks = [bridge],
            OutputTaps = [bridge],
            OtelEndpoint = string.IsNullOrWhiteSpace(OtelEndpoint) ? null : OtelEndpoint.Trim(),
            Notify = NotifyTargets(Notify),
        };
        try
        {
            options = RunOptionsResolver.Resolve(ProjectDirectory(), explicitSettings, template,
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

    /// <summary>The task's parameters as the explicit configuration level (highest precedence).</summary>
    private bool TryExplicitSettings(OutputLimits output, [NotNullWhen(true)] out ExplicitSettings? settings)
    {
        settings = null;
        if (!WireEnum.TryParseParameter(Log, nameof(ApprovalPolicy), ApprovalPolicy, out Orchestrator.Core.Orchestration.ApprovalPolicy? policy) ||
            !WireEnum.TryParseParameter(Log, nameof(SandboxMode), SandboxMode, out Orchestrator.Core.Orchestration.SandboxMode? mode))
        {
            return false;
        }

        bool? network = null;
        if (!string.IsNullOrWhiteSpace(NetworkAccess))
        {
            if (!bool.TryParse(NetworkAccess, out bool parsed))
            {
                Log.LogErrorWithCodeFromResources("InvalidParameter", nameof(NetworkAccess), NetworkAccess, "use true or false");
                return false;
            }

            network = parsed;
        }

        int? attempts = null;
        if (!string.IsNullOrWhiteSpace(MaxAttempts))
        {
            if (!int.TryParse(MaxAttempts, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) || parsed < 1 || parsed > RetryPolicy.Limit)
            {
                Log.LogErrorWithCodeFromResources("InvalidParameter", nameof(MaxAttempts), MaxAttempts, $"use a number from 1 to {RetryPolicy.Limit}");
                return false;
            }

            attempts = parsed;
        }

        settings = new ExplicitSettings
        {
            TaskId = string.IsNullOrWhiteSpace(TaskId) ? null : TaskId,
            RunsRoot = string.IsNullOrWhiteSpace(RunsRoot) ? null : RunsRoot,
            ApprovalPolicy = policy,
            SandboxMode = mode,
            Network = network,
            WritableRoots = WritableRoots is { Length: > 0 } roots ? [.. roots.Where(r => !string.IsNullOrWhiteSpace(r))] : null,
            MaxAttempts = attempts,
            EventBudgetBytes = string.IsNullOrWhiteSpace(OutputEventBudget) ? null : output.EventBudgetBytes,
            CaptureBytes = string.IsNullOrWhiteSpace(OutputCaptureBytes) ? null : output.CaptureBytes,
        };
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
