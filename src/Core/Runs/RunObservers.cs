using System.Text.Json;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Json;
using Orchestrator.Core.Notifications;
using Orchestrator.Core.Telemetry;

namespace Orchestrator.Core.Runs;

/// <summary>
/// What watches a run from outside: OpenTelemetry (strictly opt-in) and the notifications sent when
/// it ends. Every kind of top-level run (commands, pipelines, guardrails, resumes, diagnostics)
/// starts its recorder through <see cref="StartRun"/> and ends with <see cref="FinishAsync"/>, so an
/// endpoint or a notify target set in any door applies to whatever that door runs.
/// </summary>
internal sealed class RunObservers
{
    private readonly RunTelemetry? _telemetry;
    private readonly NotificationResolution _notify;
    private readonly RunOptions _options;

    private RunObservers(RunTelemetry? telemetry, NotificationResolution notify, RunOptions options)
    {
        _telemetry = telemetry;
        _notify = notify;
        _options = options;
    }

    /// <summary>
    /// Resolves telemetry and notifications from the options (a door's value, the environment, the
    /// configuration), starts telemetry when an endpoint is set, and starts the run's recorder with
    /// both recorded in its first manifest version.
    /// </summary>
    /// <exception cref="OrchestratorException">A notify target is invalid (<see cref="OrchestratorErrorCode.InvalidConfiguration"/>), or the recorder could not start.</exception>
    public static (RunRecorder Run, RunObservers Observers) StartRun(RunOptions options, Func<RunManifest, RunManifest>? initial = null)
    {
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

        try
        {
            // What the door resolved goes into the first manifest version (one write, not two).
            var run = RunRecorder.Start(options, m =>
            {
                m = m with
                {
                    Telemetry = telemetry is null ? TelemetryRecord.NotEnabled(telemetrySettings) : Pending(telemetrySettings),
                    Notifications = NotificationsRecord.Pending(notify),
                    Warnings = [.. m.Warnings, .. telemetrySettings.Warnings.Where(w => !m.Warnings.Contains(w))],
                    SettingSources = WithDoorSources(m.SettingSources, telemetrySettings.Source, notify.Source),
                };
                return initial is null ? m : initial(m);
            });
            return (run, new RunObservers(telemetry, notify, options));
        }
        catch
        {
            telemetry?.CompleteAsync(CancellationToken.None).GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>
    /// After the final status is known: flush telemetry (at most its budget) and deliver the
    /// notifications (bounded by <see cref="RunOptions.NotificationLimits"/>) side by side, then record
    /// both. Neither may change the run: whatever goes wrong is recorded, never thrown. Notifications
    /// go out even for a cancelled run (that is news too), so they do not take the run's token.
    /// </summary>
    public async Task FinishAsync(RunRecorder run)
    {
        try
        {
            Task<TelemetryRecord>? flushed = _telemetry?.CompleteAsync(CancellationToken.None);
            Task<NotificationReport>? delivered = _notify.Targets.Count > 0 && run.Summary is { } summary
                ? NotificationDispatcher.DeliverAsync(
                    _notify.Targets,
                    _notify.Source,
                    JsonSerializer.SerializeToUtf8Bytes(summary, JsonDefaults.Events.ExecEvent),
                    _options.NotificationLimits with { WorkingDirectory = _options.NotificationLimits.WorkingDirectory ?? run.WorkingDirectory },
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
                Notifications = report is null ? m.Notifications : NotificationsRecord.From(_notify, report),
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
}
