using System.CommandLine;
using Orchestrator.Cli.Output;
using Orchestrator.Core;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Doors;
using Orchestrator.Core.Outcomes;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Settings;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// `orchestrator start [pipeline] [--format text|json]`: runs the built-in <c>diagnostics</c> (the
/// default), the configured <c>guardrails</c>, or a named pipeline from orchestrator.yaml as one
/// parent run; `orchestrator resume &lt;run&gt;` shares the options and output.
/// </summary>
internal static class StartCommand
{
    internal static readonly Option<string> Format = CreateFormat();
    internal static readonly Option<string?> Task = new("--task") { Description = "Task id (default: MCP_RUNNER_TASK_ID, then configuration, then 'default').", HelpName = "id" };
    internal static readonly Option<string?> RunsRoot = new("--runs-root") { Description = "Where runs are written (default: .runs at the workspace root).", HelpName = "dir" };
    internal static readonly Option<string?> Config = new("--config") { Description = "A configuration file to use instead of the repository's orchestrator.yaml.", HelpName = "file" };
    internal static readonly Option<string?> Cwd = new("--cwd") { Description = "The workspace directory (default: the current directory).", HelpName = "dir" };
    internal static readonly Option<string?> ApprovalPolicy = ExecOptions.CreateEnumOption("--approval-policy", ExecOptions.ApprovalPolicies, "When to ask before running or escalating a step (default: configuration, else on-failure).");
    internal static readonly Option<string?> Sandbox = ExecOptions.CreateEnumOption("--sandbox", ExecOptions.SandboxModes, "What the steps may touch (default: configuration, else workspace-write).");
    internal static readonly Option<bool?> Network = new("--network") { Description = "Allow sandboxed steps the network: --network, --network true|false (default: configuration, else false).", Arity = ArgumentArity.ZeroOrOne };
    internal static readonly Option<string[]> WritableRoot = new("--writable-root") { Description = "Another directory a workspace-write sandbox may write (repeatable).", HelpName = "dir", Arity = ArgumentArity.ZeroOrMore };
    internal static readonly Option<string?> MaxAttempts = new("--max-attempts") { Description = "Attempts in all for a step that fails transiently, 1-20 (default: configuration, else 3).", HelpName = "n" };
    internal static readonly Option<string?> OtelEndpoint = new("--otel-endpoint") { Description = "Send the run's traces and metrics to this OTLP endpoint ('off' disables).", HelpName = "url" };
    internal static readonly Option<string[]> Notify = new("--notify") { Description = "Send the run:summary to a target when the run ends: an http(s):// webhook or command:<program> [args] (repeatable).", HelpName = "target", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "guardrails: report what built-in checks (the spec guard) find without failing." };
    private static readonly Argument<string> Pipeline = new("pipeline") { Description = "diagnostics (default), guardrails, or a pipeline named in orchestrator.yaml.", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "diagnostics" };

    public static Command Create()
    {
        var command = new Command("start", """
            Run a pipeline as one run with a manifest listing every step: the built-in diagnostics
            (default; needs no configuration), the configured guardrails, or a named pipeline.
            Exits 0 when the run succeeded (and the guardrails recommend pass), else the failed
            step's exit code (1 when it has none), 130 when cancelled; docs/cli.md#exit-codes.

            Examples:
              orchestrator start
              orchestrator start --format json
              orchestrator start guardrails
              orchestrator start release --task nightly
            """)
        {
            Pipeline, Format, Task, RunsRoot, Config, Cwd, DryRun,
        };
        AddRunOptions(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse));
        return command;
    }

    private static Option<string> CreateFormat()
    {
        var option = new Option<string>("--format") { Description = "text (default) or json: one JSON document on stdout.", HelpName = "text|json", DefaultValueFactory = _ => "text" };
        option.AcceptOnlyFromAmong("text", "json");
        return option;
    }

    /// <summary>The run options of a pipeline door: flags, then the configuration, exactly as exec resolves them.</summary>
    internal static RunOptions ResolveOptions(ParseResult parse, out string cwd)
    {
        cwd = parse.GetValue(Cwd) is { Length: > 0 } dir ? Path.GetFullPath(dir) : Environment.CurrentDirectory;
        if (!Directory.Exists(cwd))
        {
            throw new CliError(ExitCodes.Usage, $"--cwd: the directory '{cwd}' does not exist.");
        }

        bool? network = parse.GetResult(Network) is null ? null : parse.GetValue(Network) ?? true;
        var input = new RunInput
        {
            TaskId = TaskArgument.Check(parse.GetValue(Task)),
            RunsRoot = parse.GetValue(RunsRoot),
            ApprovalPolicy = parse.GetValue(ApprovalPolicy),
            SandboxMode = parse.GetValue(Sandbox),
            Network = network is bool on ? (on ? "true" : "false") : null,
            WritableRoots = parse.GetValue(WritableRoot),
            MaxAttempts = parse.GetValue(MaxAttempts),
            OtelEndpoint = parse.GetValue(OtelEndpoint),
            Notify = parse.GetValue(Notify),
        };
        if (!RunInputReader.TryRead(input, SettingSurface.CliPipeline, out RunSettingsInput? settings, out OutcomeMessage? problem))
        {
            throw CliError.Usage(problem!);
        }

        string? config = parse.GetValue(Config);
        try
        {
            var template = new RunOptions { Runner = RunnerKind.Cli, WorkingDirectory = cwd, OtelEndpoint = settings!.OtelEndpoint, Notify = settings.Notify };
            return RunOptionsResolver.Resolve(cwd, settings.Settings, template,
                configPath: string.IsNullOrWhiteSpace(config) ? null : Path.GetFullPath(config, cwd));
        }
        catch (OrchestratorException ex)
        {
            throw Map(ex);
        }
    }

    /// <summary>The run settings start and resume share with exec (docs/settings.md).</summary>
    internal static void AddRunOptions(Command command)
    {
        foreach (Option option in (Option[])[ApprovalPolicy, Sandbox, Network, WritableRoot, MaxAttempts, OtelEndpoint, Notify])
        {
            command.Options.Add(option);
        }
    }

    internal static CliError Map(OrchestratorException ex) => ex.Code switch
    {
        OrchestratorErrorCode.UnknownPipeline => new CliError(ExitCodes.Usage, ex.Message),
        OrchestratorErrorCode.ResumeRefused => new CliError(ExitCodes.ResumeRefused, ex.Message),
        OrchestratorErrorCode.CorruptRunRecord => new CliError(ExitCodes.VerifyFailed, ex.Message),
        _ => ExecCommand.Map(ex),
    };

    private static async Task<int> RunAsync(ParseResult parse)
    {
        string pipeline = parse.GetValue(Pipeline) ?? "diagnostics";
        bool json = parse.GetValue(Format) == "json";
        RunOptions options = ResolveOptions(parse, out _);
        var client = new OrchestratorClient();
        using var signals = new SignalCancellation();
        try
        {
            if (pipeline == "diagnostics")
            {
                var diagnostics = await client.RunDiagnosticsAsync(options, signals.Token).ConfigureAwait(false);
                await Console.Out.WriteAsync(json ? diagnostics.ToJson() + "\n" : diagnostics.Summary + $"\nManifest: {diagnostics.ManifestPath}\n").ConfigureAwait(false);
                await OutcomeLines.WriteAsync(PipelineOutcomes.Of(diagnostics)).ConfigureAwait(false);
                return diagnostics.Status switch
                {
                    RunStatus.Succeeded => ExitCodes.Success,
                    RunStatus.Cancelled => ExitCodes.Cancelled,
                    _ => 1,
                };
            }

            var result = pipeline == "guardrails"
                ? await client.RunGuardrailsAsync(options, parse.GetValue(DryRun), signals.Token).ConfigureAwait(false)
                : await client.RunPipelineAsync(pipeline, options, signals.Token).ConfigureAwait(false);
            int exitCode = PipelineOutput.ExitCodeOf(result);
            await Console.Out.WriteAsync(json ? PipelineOutput.Json(result, exitCode) : PipelineOutput.Text(result)).ConfigureAwait(false);
            await OutcomeLines.WriteAsync(PipelineOutcomes.Of(result)).ConfigureAwait(false);
            return exitCode;
        }
        catch (OrchestratorException ex)
        {
            throw Map(ex);
        }
    }
}
