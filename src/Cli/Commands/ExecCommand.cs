using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using Orchestrator.Cli.Output;
using Orchestrator.Core;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Doors;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Settings;
using Orchestrator.Core.Validation;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// `orchestrator exec [options] -- &lt;cmd&gt; [args]`: flags become an <see cref="ExecRequest"/> and
/// <see cref="ExplicitSettings"/> (the Core resolves them with the configuration, exactly as the
/// MSBuild task does); the run's events become stdout (JSONL, one JSON document, or human output)
/// and its result the exit code.
/// </summary>
internal static class ExecCommand
{
    /// <param name="options">The flags to attach (a test passes its own to read the parse back); new ones by default.</param>
    public static Command Create(ExecOptions? options = null)
    {
        var command = new Command("exec", """
            Run one command through the orchestrator (approval, sandbox, retries) and record it under
            .runs/<task>/cli/<run-id>/. Exits with the command's exit code, or one of the codes in
            docs/cli.md#exit-codes.

            Examples:
              orchestrator exec -- dotnet test
              orchestrator exec --jsonl --task build -- make -j4 > events.jsonl
              orchestrator exec --json --timeout 5m --env CI=true -- npm ci
              orchestrator exec --sandbox read-only --network -- ./scripts/check.sh
              orchestrator exec --otel-endpoint http://127.0.0.1:4318 --notify https://hooks.example/ci -- make
            """);
        options ??= new ExecOptions();
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(ExecArguments.From(parse, options)));
        return command;
    }

    /// <summary>Runs what the command line asked for (from either parser: see <see cref="ExecArguments"/>).</summary>
    public static async Task<int> RunAsync(ExecArguments arguments)
    {
        // Overlaps the serializers' first use with reading the flags and the configuration.
        _ = Warmup.Start();
        bool jsonl = arguments.Jsonl;
        bool json = arguments.Json;
        if (jsonl && json)
        {
            throw new CliError(ExitCodes.Usage, "--jsonl and --json cannot be used together.");
        }

        string cwd = ResolveDirectory(arguments.Cwd);
        RunSettingsInput settings = BuildSettings(arguments);
        ExecRequest request = BuildRequest(arguments, cwd);
        if (!jsonl && !json)
        {
            jsonl = Console.IsOutputRedirected;
        }

        using var stdout = StandardStreams.OpenStdout();
        using var stderr = StandardStreams.OpenStderr();
        using var jsonlSink = jsonl ? new JsonlStdoutSink(stdout) : null;
        using var human = !jsonl && !json ? new HumanConsole(stdout, stderr, progress: !Console.IsOutputRedirected) : null;
        var template = new RunOptions
        {
            Runner = RunnerKind.Cli,
            WorkingDirectory = cwd,
            Sinks = jsonlSink is not null ? [jsonlSink] : human is not null ? [human] : [],
            OutputTaps = human is not null ? [human] : [],
            OtelEndpoint = settings.OtelEndpoint,
            Notify = settings.Notify,
        };
        if (settings.KillGracePeriod is TimeSpan grace)
        {
            template = template with { KillGracePeriod = grace };
        }

        RunOptions options;
        try
        {
            string? config = arguments.Config;
            options = RunOptionsResolver.Resolve(cwd, settings.Settings, template,
                configPath: string.IsNullOrWhiteSpace(config) ? null : Path.GetFullPath(config, cwd));
        }
        catch (OrchestratorException ex)
        {
            throw Map(ex);
        }

        RunResult result;
        using (var signals = new SignalCancellation())
        {
            try
            {
                result = await new OrchestratorClient().ExecAsync(request, options, signals.Token).ConfigureAwait(false);
            }
            catch (OrchestratorException ex)
            {
                throw Map(ex);
            }
        }

        var outcome = CommandOutcomes.Of(result.ToolRuns[0], result.ManifestPath, drainTimeout: options.DrainTimeout);
        int exitCode = outcome.CliExitCode;
        if (jsonlSink is { Broken: true })
        {
            await Console.Error.WriteLineAsync($"orchestrator: stdout was closed before the run ended; the run is recorded in full: {result.ManifestPath}").ConfigureAwait(false);
            return ExitCodes.OutputClosed;
        }

        if (json)
        {
            byte[] document = JsonSerializer.SerializeToUtf8Bytes(Summarize(result, exitCode), CliJson.Context.ExecSummary);
            try
            {
                stdout.Write(document);
                stdout.Write("\n"u8);
            }
            catch (IOException)
            {
                return ExitCodes.OutputClosed;
            }
        }

        human?.Summary(SummaryLine(result, exitCode));

        // The same catalogue line MSBuild logs and Cake throws, whatever stdout carries.
        foreach (var notice in outcome.Notices)
        {
            await Console.Error.WriteLineAsync(OutcomeLines.Line(notice)).ConfigureAwait(false);
        }

        if (outcome.Error is { } error)
        {
            await Console.Error.WriteLineAsync(OutcomeLines.Line(error)).ConfigureAwait(false);
        }

        return exitCode;
    }

    private static string ResolveDirectory(string? cwd)
    {
        if (string.IsNullOrWhiteSpace(cwd))
        {
            return Environment.CurrentDirectory;
        }

        string full = Path.GetFullPath(cwd);
        if (!Directory.Exists(full))
        {
            throw new CliError(ExitCodes.Usage, $"--cwd: the directory '{full}' does not exist.");
        }

        return full;
    }

    private static ExecRequest BuildRequest(ExecArguments arguments, string cwd)
    {
        IReadOnlyList<string> argv = arguments.Command;
        if (argv.Count == 0 || string.IsNullOrEmpty(argv[0]))
        {
            throw new CliError(ExitCodes.Usage, "exec needs a command: orchestrator exec [options] -- <cmd> [args]");
        }

        if (arguments.UnknownOption is { } unknown)
        {
            throw new CliError(ExitCodes.Usage, $"Unrecognized option '{unknown}' (put the command after --: orchestrator exec [options] -- <cmd> [args]).");
        }

        var input = new ExecInput
        {
            Argv = argv,
            WorkingDirectory = cwd,
            EnvironmentEntries = arguments.Env,
            Timeout = arguments.Timeout,
            PlainDurationUnit = PlainNumberUnit.Seconds,
            UsePty = arguments.Pty,
            SessionId = arguments.Session,

            // A session lives in this process, which ends with the command: end it cleanly.
            PersistSession = false,
            CommandId = arguments.Id,
            Title = arguments.Title,
            RequestEscalation = arguments.RequestEscalation,
            TerminalColumns = arguments.Columns,
            TerminalRows = arguments.Rows,
        };
        return ExecInputReader.TryRead(input, SettingSurface.CliExec, out ExecRequest? request, out OutcomeMessage? problem)
            ? request!
            : throw CliError.Usage(problem!);
    }

    private static RunSettingsInput BuildSettings(ExecArguments arguments)
    {
        var input = new RunInput
        {
            TaskId = TaskArgument.Check(arguments.Task),
            RunsRoot = arguments.RunsRoot,
            ApprovalPolicy = arguments.ApprovalPolicy,
            SandboxMode = arguments.Sandbox,
            Network = arguments.Network is bool network ? (network ? "true" : "false") : null,
            WritableRoots = arguments.WritableRoots,
            MaxAttempts = arguments.MaxAttempts,
            EventBudgetBytes = arguments.EventBudget,
            CaptureBytes = arguments.CaptureBytes,
            KillGracePeriod = arguments.KillGrace,
            PlainDurationUnit = PlainNumberUnit.Seconds,
            OtelEndpoint = arguments.OtelEndpoint,
            Notify = arguments.Notify,
        };
        return RunInputReader.TryRead(input, SettingSurface.CliExec, out RunSettingsInput? settings, out OutcomeMessage? problem)
            ? settings!
            : throw CliError.Usage(problem!);
    }

    internal static CliError Map(OrchestratorException ex) => ex.Code switch
    {
        OrchestratorErrorCode.InvalidConfiguration => new CliError(ExitCodes.Configuration, ex.Message),
        OrchestratorErrorCode.RunsRootNotWritable => new CliError(ExitCodes.RunsRootNotWritable, ex.Message),
        OrchestratorErrorCode.RunNotFound => new CliError(ExitCodes.NotFound, ex.Message),
        OrchestratorErrorCode.TerminalUnavailable => new CliError(ExitCodes.Unavailable, ex.Message),
        OrchestratorErrorCode.InvalidRequest or OrchestratorErrorCode.InvalidTaskId or OrchestratorErrorCode.InvalidRunId => new CliError(ExitCodes.Usage, ex.Message),
        _ => new CliError(ExitCodes.Internal, ex.Message),
    };

    private static ExecSummary Summarize(RunResult result, int exitCode)
    {
        var toolRun = result.ToolRuns[0];
        var command = toolRun.Final;
        return new ExecSummary
        {
            TaskId = result.TaskId,
            RunId = result.RunId,
            Status = WireNames.Of(result.Status),
            StatusDetail = result.StatusDetail,
            CommandStatus = WireNames.Of(toolRun.Status),
            ExitCode = command?.ExitCode,
            Signal = command?.Signal,
            CliExitCode = exitCode,
            DurationMs = (long)(command?.Duration.TotalMilliseconds ?? 0),
            SandboxState = WireNames.Of(toolRun.SandboxState),
            ApprovalSource = WireNames.Of(toolRun.ApprovalSource),
            Attempts = toolRun.Attempts.Count,
            Stdout = command?.Stdout.Text,
            Stderr = command?.Stderr.Text,
            OutputTruncated = command is not null && (command.Stdout.Truncated || command.Stderr.Truncated),
            ManifestPath = result.ManifestPath,
            EventsPath = result.EventsPath,
        };
    }

    /// <summary><c>orchestrator: error ORCH0100: ...</c>: MSBuild's canonical form, so CI log parsers treat it alike.</summary>
    private static string SummaryLine(RunResult result, int exitCode)
    {
        var command = result.ToolRuns[0].Final;
        string seconds = ((command?.Duration ?? TimeSpan.Zero).TotalSeconds).ToString("0.00", CultureInfo.InvariantCulture);
        string outcome = result.Succeeded ? "succeeded" : result.StatusDetail ?? WireNames.Of(result.Status);
        return $"orchestrator: {outcome} in {seconds} s (exit {exitCode}); run {result.RunId}: {result.ManifestPath}";
    }
}
