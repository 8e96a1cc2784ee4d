using System.Text.Json;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Json;
using Orchestrator.Core.Notifications;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Review;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Telemetry;

namespace Orchestrator.Core;

/// <summary>
/// The SDK entry point and the core every door calls: one run per call, its commands run in order,
/// recorded under <c>.runs/&lt;task-id&gt;/cli/&lt;run-id&gt;/</c>.
/// </summary>
public sealed partial class OrchestratorClient
{
    /// <summary>Runs one command as a run of its own.</summary>
    public Task<RunResult> ExecAsync(ExecRequest request, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync([request], options, cancellationToken);

    /// <summary>
    /// Runs commands in order as one run, each through the <see cref="ToolOrchestrator"/> (approval,
    /// sandbox, retries), stopping at the first one that does not succeed; the rest are recorded as
    /// skipped. The run's status is <c>succeeded</c> when every command succeeded, <c>cancelled</c>
    /// when the token ended it, otherwise <c>failed</c>.
    /// </summary>
    public async Task<RunResult> RunAsync(IReadOnlyList<ExecRequest> commands, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        if (commands.Count == 0)
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest, "A run needs at least one command.");
        }

        options ??= new RunOptions();
        options.Retry.Validate();
        Func<string, string?> environment = options.EnvironmentReader ?? Environment.GetEnvironmentVariable;
        NotificationResolution notify = ResolveNotifications(options, environment);
        TelemetrySettings telemetrySettings = TelemetrySettings.Resolve(options.OtelEndpoint, WireNames.Of(options.Runner), environment, options.ConfiguredOtelEndpoint);

        // Strictly opt-in: without an endpoint no RunTelemetry (no listener, no provider, no sink) exists.
        RunTelemetry? telemetry = telemetrySettings.Enabled
            ? RunTelemetry.Start(telemetrySettings, environment, options.Secrets.For(EnvironmentBuilder.Compose(null)))
            : null;
        if (telemetry is not null)
        {
            options = options with { Sinks = [.. options.Sinks, telemetry], Telemetry = telemetry };
        }

        RunRecorder run;
        try
        {
            // What the door resolved goes into the first manifest version (one write, not two).
            run = RunRecorder.Start(options, m => m with
            {
                Telemetry = telemetry is null ? TelemetryRecord.NotEnabled(telemetrySettings) : Pending(telemetrySettings),
                Notifications = NotificationsRecord.Pending(notify),
                Warnings = [.. m.Warnings, .. telemetrySettings.Warnings.Where(w => !m.Warnings.Contains(w))],
                SettingSources = WithDoorSources(m.SettingSources, telemetrySettings.Source, notify.Source),
            });
        }
        catch
        {
            if (telemetry is not null)
            {
                await telemetry.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }

        using var _ = run;
        var toolRuns = new List<ToolRunResult>(commands.Count);
        try
        {
            var orchestrator = ToolOrchestrator.For(run);
            string? stopReason = null;
            foreach (var request in commands)
            {
                if (stopReason is not null)
                {
                    CommandExecutor.RecordSkipped(run, request, stopReason);
                    continue;
                }

                var toolRun = await orchestrator.RunAsync(request, cancellationToken).ConfigureAwait(false);
                toolRuns.Add(toolRun);
                if (!toolRun.Succeeded)
                {
                    string which = toolRun.Final is CommandResult final ? $"command {final.Index} ({final.Id})" : toolRun.Id;
                    stopReason = $"not run: {which} {WireNames.Of(toolRun.Status).Replace('_', ' ')}";
                }
            }
        }
        catch (Exception ex)
        {
            run.Abandon(ex);
            await FinishAsync(run, telemetry, notify, options).ConfigureAwait(false);
            throw;
        }

        var (status, detail, exitCode) = Summarize(toolRuns);
        run.Complete(status, detail, exitCode);
        await FinishAsync(run, telemetry, notify, options).ConfigureAwait(false);
        return new RunResult
        {
            TaskId = run.TaskId,
            RunId = run.RunId,
            Status = status,
            StatusDetail = detail,
            ExitCode = exitCode,
            RunDirectory = run.Paths.RunDirectory,
            ManifestPath = run.Paths.ManifestPath,
            EventsPath = run.Paths.EventsPath,
            ToolRuns = toolRuns,
            Commands = [.. toolRuns.SelectMany(t => t.Attempts)],
            Manifest = run.Manifest,
        };
    }

    /// <summary>
    /// Renders a run's manifest (default: the task's latest run) as <c>review.md</c> beside it, appends it to
    /// <c>$GITHUB_STEP_SUMMARY</c> when set, and under GitHub Actions returns (and writes to
    /// <see cref="ReviewRequest.AnnotationWriter"/>) an <c>::error</c> workflow command per failed command.
    /// See docs/review.md.
    /// </summary>
    public Task<ReviewResult> ReviewAsync(ReviewRequest request, CancellationToken cancellationToken = default) =>
        ReviewService.ReviewAsync(request, cancellationToken);

    /// <summary>
    /// After the final status is known: flush telemetry (at most its 2 s budget) and deliver the
    /// notifications (bounded by <see cref="RunOptions.NotificationLimits"/>) side by side, then record
    /// both. Neither may change the run: whatever goes wrong is recorded, never thrown. Notifications
    /// go out even for a cancelled run (that is news too), so they do not take the run's token.
    /// </summary>
    private static async Task FinishAsync(RunRecorder run, RunTelemetry? telemetry, NotificationResolution notify, RunOptions options)
    {
        try
        {
            Task<TelemetryRecord>? flushed = telemetry?.CompleteAsync(CancellationToken.None);
            Task<NotificationReport>? delivered = notify.Targets.Count > 0 && run.Summary is { } summary
                ? NotificationDispatcher.DeliverAsync(
                    notify.Targets,
                    notify.Source,
                    JsonSerializer.SerializeToUtf8Bytes(summary, JsonDefaults.Events.ExecEvent),
                    options.NotificationLimits with { WorkingDirectory = options.NotificationLimits.WorkingDirectory ?? run.WorkingDirectory },
                    CancellationToken.None)
                : null;
            TelemetryRecord? telemetryRecord = flushed is null ? null : await flushed.ConfigureAwait(false);
            NotificationReport? report = delivered is null ? null : await delivered.ConfigureAwait(false);
            if (telemetryRecord is null && report is null)
            {
                return;
            }

            run.Update(m => m with
            {
                Telemetry = telemetryRecord ?? m.Telemetry,
                Notifications = report is null ? m.Notifications : NotificationsRecord.From(notify, report),
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The run's own record is already complete; losing this last write loses only these two records.
        }
    }

    private static NotificationResolution ResolveNotifications(RunOptions options, Func<string, string?> environment)
    {
        try
        {
            return NotificationSettings.Resolve(options.Notify, WireNames.Of(options.Runner), environment, options.ConfiguredNotify);
        }
        catch (NotificationConfigurationException ex)
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidConfiguration, ex.Message, ex);
        }
    }

    /// <summary>The record while the run goes on: telemetry is live, nothing counted yet.</summary>
    private static TelemetryRecord Pending(TelemetrySettings settings) => new()
    {
        Enabled = true,
        Source = WireNames.Of(settings.Source),
        Endpoint = settings.DisplayEndpoint,
        Protocol = WireNames.Of(settings.Protocol),
    };

    /// <summary>The resolver recorded the configuration level; a door value or variable that won replaces it.</summary>
    private static IReadOnlyDictionary<string, string>? WithDoorSources(
        IReadOnlyDictionary<string, string>? sources, TelemetrySource telemetry, NotificationSource notify)
    {
        if (sources is null)
        {
            return null;
        }

        var updated = new SortedDictionary<string, string>(sources.ToDictionary(), StringComparer.Ordinal);
        string? telemetryLevel = telemetry switch
        {
            TelemetrySource.Environment => "environment",
            TelemetrySource.Cli or TelemetrySource.MSBuild or TelemetrySource.Cake or TelemetrySource.Sdk => "explicit",
            _ => null,
        };
        string? notifyLevel = notify switch
        {
            NotificationSource.Environment => "environment",
            NotificationSource.Cli or NotificationSource.MSBuild or NotificationSource.Cake or NotificationSource.Sdk => "explicit",
            _ => null,
        };
        if (telemetryLevel is not null)
        {
            updated["telemetry.endpoint"] = telemetryLevel;
        }

        if (notifyLevel is not null)
        {
            updated["notify"] = notifyLevel;
        }

        return updated;
    }

    private static string Abbreviate(string text)
    {
        string shown = CommandDisplay.Escape(text);
        return shown.Length <= 80 ? shown : shown[..77] + "...";
    }

    internal static (RunStatus Status, string? Detail, int? ExitCode) Summarize(IReadOnlyList<ToolRunResult> toolRuns)
    {
        foreach (var toolRun in toolRuns)
        {
            var final = toolRun.Final;
            string name = final is null ? $"'{Abbreviate(toolRun.Command)}' ({toolRun.Id})" : $"command {final.Index} ({final.Id})";
            switch (toolRun.Status)
            {
                case ToolRunStatus.Cancelled:
                    return (RunStatus.Cancelled, $"{name} was cancelled", toolRun.ExitCode);
                case ToolRunStatus.Denied:
                    return (RunStatus.Failed, $"{name} was denied: {toolRun.StatusDetail}", toolRun.ExitCode);
                case ToolRunStatus.TimedOut:
                    return (RunStatus.Failed, $"{name} timed out after {(final?.Timeout ?? final?.Duration ?? TimeSpan.Zero).TotalSeconds:0.###} s", toolRun.ExitCode);
                case ToolRunStatus.Failed when toolRun.StatusDetail is not null:
                    return (RunStatus.Failed, $"{name} failed: {toolRun.StatusDetail}", toolRun.ExitCode);
                case ToolRunStatus.Failed when final?.Error is not null:
                    return (RunStatus.Failed, $"{name} failed: {final.Error.Message}", toolRun.ExitCode);
                case ToolRunStatus.Failed:
                    return (RunStatus.Failed, final?.Signal is not null
                        ? $"{name} was killed by {final.Signal}"
                        : $"{name} exited with code {toolRun.ExitCode}", toolRun.ExitCode);
            }
        }

        return (RunStatus.Succeeded, null, toolRuns.Count > 0 ? toolRuns[^1].ExitCode : 0);
    }
}
