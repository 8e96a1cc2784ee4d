using System.CommandLine;
using Orchestrator.Cli.Output;
using Orchestrator.Core;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Runs;

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

        var settings = ExplicitSettings.None with
        {
            TaskId = TaskArgument.Check(parse.GetValue(Task)),
            RunsRoot = parse.GetValue(RunsRoot),
        };
        string? config = parse.GetValue(Config);
        try
        {
            return RunOptionsResolver.Resolve(cwd, settings, new RunOptions { Runner = RunnerKind.Cli, WorkingDirectory = cwd },
                configPath: string.IsNullOrWhiteSpace(config) ? null : Path.GetFullPath(config, cwd));
        }
        catch (OrchestratorException ex)
        {
            throw Map(ex);
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
            return exitCode;
        }
        catch (OrchestratorException ex)
        {
            throw Map(ex);
        }
    }
}
