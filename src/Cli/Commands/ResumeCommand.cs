using System.CommandLine;
using Orchestrator.Cli.Output;
using Orchestrator.Core;
using Orchestrator.Core.Outcomes;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// `orchestrator resume &lt;run-id|resume-token|latest&gt;`: a new run of a failed, cancelled or
/// stale pipeline run that skips the steps that succeeded and re-runs the rest.
/// </summary>
internal static class ResumeCommand
{
    private static readonly Argument<string> Run = new("run") { Description = "The run id, its resume token, or 'latest' (the task's latest pipeline run)." };

    public static Command Create()
    {
        var command = new Command("resume", """
            Resume a failed, cancelled or stale pipeline run: a new run (parentRunId = the resumed run)
            that records the steps which succeeded as skipped and re-runs the others. Refused (exit
            79) when the pipeline definition changed, the run succeeded or is still running; exit 66
            when the run does not exist, 65 when its manifest is corrupt.

            Examples:
              orchestrator resume latest
              orchestrator resume 2026-11-22T06-19-40-057Z-c1ba678a --task nightly --format json
            """)
        {
            Run, StartCommand.Format, StartCommand.Task, StartCommand.RunsRoot, StartCommand.Config, StartCommand.Cwd,
        };
        StartCommand.AddRunOptions(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        string run = parse.GetValue(Run) ?? throw new CliError(ExitCodes.Usage, "resume needs a run id, a resume token or 'latest'.");
        bool json = parse.GetValue(StartCommand.Format) == "json";
        var options = StartCommand.ResolveOptions(parse, out _);
        using var signals = new SignalCancellation();
        try
        {
            var result = await new OrchestratorClient().ResumeAsync(run, options, signals.Token).ConfigureAwait(false);
            int exitCode = PipelineOutput.ExitCodeOf(result);
            await Console.Out.WriteAsync(json ? PipelineOutput.Json(result, exitCode) : PipelineOutput.Text(result)).ConfigureAwait(false);
            await OutcomeLines.WriteAsync(PipelineOutcomes.Of(result)).ConfigureAwait(false);
            return exitCode;
        }
        catch (OrchestratorException ex)
        {
            throw StartCommand.Map(ex);
        }
    }
}
