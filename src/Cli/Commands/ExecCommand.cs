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

namespace Orchestrator.Cli.Commands;

/// <summary>
/// `orchestrator exec [options] -- &lt;cmd&gt; [args]`: flags become an <see cref="ExecRequest"/> and
/// <see cref="ExplicitSettings"/> (the Core resolves them with the configuration, exactly as the
/// MSBuild task does); the run's events become stdout (JSONL, one JSON document, or human output)
/// and its result the exit code.
/// </summary>
internal static class ExecCommand
{
    private static readonly Option<bool> Jsonl = new("--jsonl") { Description = "Events, one JSON object per line, on stdout (the default when stdout is not a terminal)." };
    private static readonly Option<bool> Json = new("--json") { Description = "One JSON summary document on stdout when the run ends." };
    private static readonly Option<string?> Cwd = new("--cwd") { Description = "The command's working directory (default: the current directory).", HelpName = "dir" };
    private static readonly Option<string?> Task = new("--task") { Description = "Task id (default: MCP_RUNNER_TASK_ID, then configuration, then 'default').", HelpName = "id" };
    private static readonly Option<string?> RunsRoot = new("--runs-root") { Description = "Where runs are written (default: .runs at the workspace root).", HelpName = "dir" };
    private static readonly Option<string?> Config = new("--config") { Description = "A configuration file to use instead of the repository's orchestrator.yaml.", HelpName = "file" };
    private static readonly Option<string?> ApprovalPolicyOption = CreateEnumOption("--approval-policy", ["untrusted", "on-failure", "on-request", "never"], "When to ask before running or escalating (default: configuration, else on-failure).");
    private static readonly Option<string?> Sandbox = CreateEnumOption("--sandbox", ["read-only", "workspace-write", "danger-full-access"], "What the command may touch (default: configuration, else workspace-write).");
    private static readonly Option<bool?> Network = new("--network") { Description = "Allow sandboxed commands the network: --network, --network true|false (default: configuration, else false).", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<bool> Pty = new("--pty") { Description = "Run on a pseudo-terminal (one merged output stream) instead of pipes." };
    private static readonly Option<string?> Session = new("--session") { Description = "Run in the PTY session with this id (1-64 of [A-Za-z0-9._-]); ended when the command ends.", HelpName = "id" };
    private static readonly Option<string?> Timeout = new("--timeout") { Description = "End the command's process tree after this long: 250ms, 30s, 5m, 1h or plain seconds.", HelpName = "duration" };
    private static readonly Option<string[]> Env = new("--env") { Description = "Set a variable for the command: --env NAME=value (repeatable).", HelpName = "NAME=value", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<string?> EventBudget = new("--event-budget") { Description = "Bytes of output per command sent as exec:chunk events (default 1 MiB; 0 = unlimited).", HelpName = "bytes" };
    private static readonly Option<string?> Id = new("--id") { Description = "The command's id in the manifest and its raw log names ([A-Za-z0-9._-]).", HelpName = "id" };
    private static readonly Option<string?> OtelEndpoint = new("--otel-endpoint") { Description = "Send the run's traces and metrics to this OTLP endpoint (beats OTEL_EXPORTER_OTLP_ENDPOINT and the configuration; 'off' disables).", HelpName = "url" };
    private static readonly Option<string[]> Notify = new("--notify") { Description = "Send the run:summary to a target when the run ends: an http(s):// webhook or command:<program> [args] (repeatable; replaces ORCHESTRATOR_NOTIFY and the configuration).", HelpName = "target", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Argument<string[]> CommandLine = new("command") { Description = "The program and its arguments, after --.", Arity = ArgumentArity.ZeroOrMore };


    public static Command Create()
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
            """)
        {
            Jsonl, Json, Cwd, Task, RunsRoot, Config, ApprovalPolicyOption, Sandbox, Network, Pty, Session, Timeout, Env, EventBudget, Id, OtelEndpoint, Notify, CommandLine,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse));
        return command;
    }

    /// <summary>
    /// The values are the enum's wire names, spelled out: reading them from the enum's attributes
    /// would put the process's first reflection on every command line's critical path
    /// (ExecCommandTests checks that the two lists agree).
    /// </summary>
    private static Option<string?> CreateEnumOption(string name, string[] values, string description)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = string.Join("|", values) };
        option.AcceptOnlyFromAmong(values);
        return option;
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        // Overlaps the serializers' first use with reading the flags and the configuration.
        _ = Warmup.Start();
        bool jsonl = parse.GetValue(Jsonl);
        bool json = parse.GetValue(Json);
        if (jsonl && json)
        {
            throw new CliError(ExitCodes.Usage, "--jsonl and --json cannot be used together.");
        }

        string cwd = ResolveDirectory(parse.GetValue(Cwd));
        ExecRequest request = BuildRequest(parse, cwd);
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
            OtelEndpoint = parse.GetValue(OtelEndpoint),
            Notify = parse.GetValue(Notify) ?? [],
        };

        RunOptions options;
        try
        {
            string? config = parse.GetValue(Config);
            options = RunOptionsResolver.Resolve(cwd, BuildSettings(parse), template,
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

        int exitCode = ExitCodeOf(result);
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
        var toolRun = result.ToolRuns[0];
        if (human is null && exitCode != ExitCodes.Success && (toolRun.Status != ToolRunStatus.Failed || toolRun.Final?.Error is not null))
        {
            // Machine output on stdout; the reason for a code of our own still goes to stderr.
            await Console.Error.WriteLineAsync($"orchestrator: {result.StatusDetail} ({result.ManifestPath})").ConfigureAwait(false);
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

    private static ExecRequest BuildRequest(ParseResult parse, string cwd)
    {
        string[] argv = parse.GetValue(CommandLine) ?? [];
        if (argv.Length == 0 || string.IsNullOrEmpty(argv[0]))
        {
            throw new CliError(ExitCodes.Usage, "exec needs a command: orchestrator exec [options] -- <cmd> [args]");
        }

        // The parser hands an unknown '-x' before '--' to the command argument; it is a mistyped flag.
        int afterDoubleDash = parse.Tokens.SkipWhile(t => t.Type != TokenType.DoubleDash).Skip(1).Count();
        if (argv.Take(argv.Length - afterDoubleDash).FirstOrDefault(a => a.StartsWith('-')) is { } unknown)
        {
            throw new CliError(ExitCodes.Usage, $"Unrecognized option '{unknown}' (put the command after --: orchestrator exec [options] -- <cmd> [args]).");
        }

        var environment = ImmutableDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
        foreach (string entry in parse.GetValue(Env) ?? [])
        {
            int equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliError(ExitCodes.Usage, $"--env '{entry}': use NAME=value.");
            }

            environment[entry[..equals]] = entry[(equals + 1)..];
        }

        TimeSpan? timeout = null;
        if (parse.GetValue(Timeout) is { } timeoutText)
        {
            if (!DurationParser.TryParse(timeoutText, out TimeSpan parsed))
            {
                throw new CliError(ExitCodes.Usage, $"--timeout '{timeoutText}': use a positive duration such as 250ms, 30s, 5m, 1h or plain seconds.");
            }

            timeout = parsed;
        }

        string? session = parse.GetValue(Session);
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
            Command = CommandSpec.FromArgv(argv),
            WorkingDirectory = cwd,
            Environment = environment.ToImmutable(),
            Timeout = timeout,
            UsePty = parse.GetValue(Pty),
            SessionId = session,

            // A session lives in this process, which ends with the command: end it cleanly.
            PersistSession = false,
            Id = parse.GetValue(Id),
        };
    }

    private static ExplicitSettings BuildSettings(ParseResult parse)
    {
        long? budget = null;
        if (parse.GetValue(EventBudget) is { } budgetText)
        {
            if (!long.TryParse(budgetText, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
            {
                throw new CliError(ExitCodes.Usage, $"--event-budget '{budgetText}': use a number of bytes, 0 for unlimited.");
            }

            budget = parsed;
        }

        string? task = parse.GetValue(Task);
        if (!string.IsNullOrEmpty(task) && !TaskId.IsValid(task, out string? problem))
        {
            throw new CliError(ExitCodes.Usage, $"--task '{task}': {problem}.");
        }

        return new ExplicitSettings
        {
            TaskId = string.IsNullOrEmpty(task) ? null : task,
            RunsRoot = parse.GetValue(RunsRoot),
            ApprovalPolicy = parse.GetValue(ApprovalPolicyOption) is { } policy ? WireEnum.Parse<ApprovalPolicy>(policy) : null,
            SandboxMode = parse.GetValue(Sandbox) is { } mode ? WireEnum.Parse<SandboxMode>(mode) : null,
            Network = parse.GetResult(Network) is null ? null : parse.GetValue(Network) ?? true,
            EventBudgetBytes = budget,
        };
    }

    /// <summary>The exit code for a finished run (docs/cli.md#exit-codes).</summary>
    internal static int ExitCodeOf(RunResult result)
    {
        var toolRun = result.ToolRuns[0];
        var command = toolRun.Final;
        if (toolRun.Status == ToolRunStatus.Denied)
        {
            return toolRun.SandboxState is SandboxState.Unavailable or SandboxState.Failed ? ExitCodes.Unavailable : ExitCodes.ApprovalDenied;
        }

        if (command is null)
        {
            return ExitCodes.Internal;
        }

        return command.Status switch
        {
            CommandStatus.Succeeded => ExitCodes.Success,
            CommandStatus.TimedOut => ExitCodes.TimedOut,
            CommandStatus.Cancelled => ExitCodes.Cancelled,
            _ when command.Error is { } error => error.Code switch
            {
                nameof(StartFailureKind.ProgramNotFound) or nameof(StartFailureKind.WorkingDirectoryNotFound) => ExitCodes.CommandNotFound,
                nameof(StartFailureKind.PermissionDenied) or nameof(StartFailureKind.ExecFormatError) => ExitCodes.CannotExecute,
                nameof(StartFailureKind.TerminalUnavailable) => ExitCodes.Unavailable,
                _ => ExitCodes.Internal,
            },
            _ when command.Signal is { } signal => ExitCodes.SignalBase + SignalNumber(signal),
            _ => command.ExitCode is { } code and not 0 ? code : ExitCodes.Internal,
        };
    }

    private static int SignalNumber(string signal) => signal switch
    {
        "SIGHUP" => 1,
        "SIGINT" => 2,
        "SIGQUIT" => 3,
        "SIGILL" => 4,
        "SIGTRAP" => 5,
        "SIGABRT" => 6,
        "SIGBUS" => 7,
        "SIGFPE" => 8,
        "SIGKILL" => 9,
        "SIGUSR1" => 10,
        "SIGSEGV" => 11,
        "SIGUSR2" => 12,
        "SIGPIPE" => 13,
        "SIGALRM" => 14,
        "SIGTERM" => 15,
        _ => 0,
    };

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

    private static string SummaryLine(RunResult result, int exitCode)
    {
        var command = result.ToolRuns[0].Final;
        string seconds = ((command?.Duration ?? TimeSpan.Zero).TotalSeconds).ToString("0.00", CultureInfo.InvariantCulture);
        string outcome = result.Succeeded ? "succeeded" : result.StatusDetail ?? WireNames.Of(result.Status);
        return $"orchestrator: {outcome} in {seconds} s (exit {exitCode}); run {result.RunId}: {result.ManifestPath}";
    }
}
