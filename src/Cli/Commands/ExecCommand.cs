using System.Collections.Immutable;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using Orchestrator.Cli.Output;
using Orchestrator.Core;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Runs;
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
            OtelEndpoint = arguments.OtelEndpoint,
            Notify = [.. arguments.Notify],
        };

        RunOptions options;
        try
        {
            string? config = arguments.Config;
            options = RunOptionsResolver.Resolve(cwd, BuildSettings(arguments), template,
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
            await Console.Error.WriteLineAsync(StderrLine(notice)).ConfigureAwait(false);
        }

        if (outcome.Error is { } error)
        {
            await Console.Error.WriteLineAsync(StderrLine(error)).ConfigureAwait(false);
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

        var environment = ImmutableDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
        foreach (string entry in arguments.Env)
        {
            int equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliError(ExitCodes.Usage, $"--env '{entry}': use NAME=value.");
            }

            environment[entry[..equals]] = entry[(equals + 1)..];
        }

        TimeSpan? timeout = null;
        if (arguments.Timeout is { } timeoutText)
        {
            if (!Durations.TryParse(timeoutText, PlainNumberUnit.Seconds, out TimeSpan parsed, out string? problem))
            {
                throw new CliError(ExitCodes.Usage, $"--timeout '{timeoutText}': {problem}.");
            }

            timeout = parsed;
        }

        string? session = arguments.Session;
        if (session is not null)
        {
            try
            {
                Core.Exec.Sessions.ExecSessionManager.ValidateId(session);
            }
            catch (OrchestratorException ex)
            {
                throw new CliError(ExitCodes.Usage, $"--session: {ex.Message}");
            }
        }

        return new ExecRequest
        {
            Command = CommandSpec.FromArgv([.. argv]),
            WorkingDirectory = cwd,
            Environment = environment.ToImmutable(),
            Timeout = timeout,
            UsePty = arguments.Pty,
            SessionId = session,

            // A session lives in this process, which ends with the command: end it cleanly.
            PersistSession = false,
            Id = arguments.Id,
        };
    }

    private static ExplicitSettings BuildSettings(ExecArguments arguments)
    {
        long? budget = null;
        if (arguments.EventBudget is { } budgetText)
        {
            if (!long.TryParse(budgetText, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
            {
                throw new CliError(ExitCodes.Usage, $"--event-budget '{budgetText}': use a number of bytes, 0 for unlimited.");
            }

            budget = parsed;
        }

        string? task = TaskArgument.Check(arguments.Task);

        return new ExplicitSettings
        {
            TaskId = task,
            RunsRoot = arguments.RunsRoot,
            ApprovalPolicy = arguments.ApprovalPolicy is { } policy ? WireEnum.Parse<ApprovalPolicy>(policy) : null,
            SandboxMode = arguments.Sandbox is { } mode ? WireEnum.Parse<SandboxMode>(mode) : null,
            Network = arguments.Network,
            EventBudgetBytes = budget,
        };
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
    private static string StderrLine(OutcomeMessage message) => message.Severity switch
    {
        OutcomeSeverity.Error => $"orchestrator: error {message}",
        OutcomeSeverity.Warning => $"orchestrator: warning {message}",
        _ => $"orchestrator: {message}",
    };

    private static string SummaryLine(RunResult result, int exitCode)
    {
        var command = result.ToolRuns[0].Final;
        string seconds = ((command?.Duration ?? TimeSpan.Zero).TotalSeconds).ToString("0.00", CultureInfo.InvariantCulture);
        string outcome = result.Succeeded ? "succeeded" : result.StatusDetail ?? WireNames.Of(result.Status);
        return $"orchestrator: {outcome} in {seconds} s (exit {exitCode}); run {result.RunId}: {result.ManifestPath}";
    }
}
