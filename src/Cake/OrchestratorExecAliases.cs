using System.Collections.Immutable;
using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.IO;
using Cake.Orchestrator.Logging;
using Orchestrator.Core;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Exec.Sessions;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Outcomes;
using Orchestrator.Core.Runs;

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
        RunOptions options = CakeRunOptions.Resolve(context, settings, cwd, bridge, CakeRunOptions.Explicit(context, settings) with
        {
            EventBudgetBytes = settings.OutputEventBudget is long budget && budget < 0
                ? throw new CakeException($"ORCH0006: Invalid value \"{budget}\" for OutputEventBudget: use a number of bytes, 0 for unlimited.")
                : settings.OutputEventBudget,
            CaptureBytes = settings.OutputCaptureBytes is int capture && capture < 2
                ? throw new CakeException($"ORCH0006: Invalid value \"{capture}\" for OutputCaptureBytes: use a number of bytes of at least 2.")
                : settings.OutputCaptureBytes,
        });
        if (settings.KillGracePeriod is TimeSpan grace)
        {
            options = grace < TimeSpan.Zero
                ? throw new CakeException($"ORCH0006: Invalid value \"{grace}\" for KillGracePeriod: use a non-negative time.")
                : options with { KillGracePeriod = grace };
        }

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
            context.Log.Write(Core.Diagnostics.Verbosity.Minimal, notice.Severity == OutcomeSeverity.Warning ? Core.Diagnostics.LogLevel.Warning : Core.Diagnostics.LogLevel.Information,
                "{0}", notice.ToString());
        }

        return classified.Error is { } error ? throw new CakeException(error.ToString()) : outcome;
    }

    private static ExecRequest BuildRequest(ICakeContext context, OrchestratorExecSettings settings, string cwd)
    {
        var given = new List<string>(3);
        if (!string.IsNullOrWhiteSpace(settings.Command))
        {
            given.Add(nameof(settings.Command));
        }

        if (settings.Argv is { Count: > 0 })
        {
            given.Add(nameof(settings.Argv));
        }

        if (settings.ScriptFile is not null)
        {
            given.Add(nameof(settings.ScriptFile));
        }

        if (given.Count == 0)
        {
            throw new CakeException("ORCH0003: Nothing to run: set Command, Argv or ScriptFile.");
        }

        if (given.Count > 1)
        {
            throw new CakeException($"ORCH0004: Set only one of Command, Argv and ScriptFile (got {string.Join(", ", given)}).");
        }

        CommandSpec spec;
        ImmutableArray<string> readable = [];
        if (given[0] == nameof(settings.Command))
        {
            spec = CommandSpec.FromShell(settings.Command!);
        }
        else if (given[0] == nameof(settings.Argv))
        {
            spec = CommandSpec.FromArgv(settings.Argv);
        }
        else
        {
            string script = settings.ScriptFile!.MakeAbsolute(new DirectoryPath(cwd)).FullPath;
            if (!File.Exists(script))
            {
                throw new CakeException($"ORCH0007: The script file \"{script}\" does not exist.");
            }

            spec = CommandSpec.FromArgv([CommandSpec.DefaultShell, script, .. settings.ScriptArguments ?? []]);
            readable = [script];
        }

        if (settings.Timeout is TimeSpan timeout && timeout <= TimeSpan.Zero)
        {
            throw new CakeException($"ORCH0006: Invalid value \"{timeout}\" for Timeout: use a positive time, or null for none.");
        }

        if (settings.TerminalColumns is < 1 or > 1000 || settings.TerminalRows is < 1 or > 1000)
        {
            throw new CakeException($"ORCH0006: Invalid value \"{settings.TerminalColumns}x{settings.TerminalRows}\" for TerminalColumns/TerminalRows: use 1-1000.");
        }

        string? sessionId = string.IsNullOrWhiteSpace(settings.SessionId) ? null : settings.SessionId.Trim();
        if (sessionId is not null)
        {
            try
            {
                ExecSessionManager.ValidateId(sessionId);
            }
            catch (OrchestratorException)
            {
                throw new CakeException($"ORCH0006: Invalid value \"{sessionId}\" for SessionId: use 1-64 characters from [A-Za-z0-9._-].");
            }
        }

        var environment = ImmutableDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in settings.EnvironmentVariables ?? new Dictionary<string, string?>())
        {
            if (string.IsNullOrEmpty(name) || name.Contains('=', StringComparison.Ordinal))
            {
                throw new CakeException($"ORCH0005: The environment variable name \"{name}\" is empty or contains '='.");
            }

            environment[name] = value;
        }

        return new ExecRequest
        {
            Command = spec,
            UsePty = settings.UsePty,
            SessionId = sessionId,
            PersistSession = settings.PersistSession,
            Terminal = settings.TerminalColumns is not null || settings.TerminalRows is not null
                ? new TerminalSize(settings.TerminalColumns ?? TerminalSize.Default.Columns, settings.TerminalRows ?? TerminalSize.Default.Rows)
                : null,
            RequestEscalation = settings.RequestEscalation,
            ReadablePaths = readable,
            WorkingDirectory = cwd,
            Environment = environment.ToImmutable(),
            Timeout = settings.Timeout,
            Id = string.IsNullOrWhiteSpace(settings.CommandId) ? null : settings.CommandId,
            Title = string.IsNullOrWhiteSpace(settings.Title) ? null : settings.Title,
        };
    }
}
