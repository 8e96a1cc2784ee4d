using System.CommandLine;
using System.Text.Json.Nodes;
using Orchestrator.Core;
using Orchestrator.Core.Review;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// `orchestrator review [--run] [--task] [--manifest]`: the reviewer hand-off of a run (default: the
/// task's latest) as review.md beside its manifest, printed to stdout, appended to
/// $GITHUB_STEP_SUMMARY, with ::error annotations under GitHub Actions.
/// </summary>
internal static class ReviewCommand
{
    private static readonly Option<string?> Run = new("--run") { Description = "A run id of the task (default: its latest run).", HelpName = "run-id" };
    private static readonly Option<string?> Manifest = new("--manifest") { Description = "Review this manifest file instead of looking the run up.", HelpName = "file" };
    private static readonly Option<bool> FailOnFail = new("--fail-on-fail") { Description = "Exit 1 when the recommendation is fail (default: exit 0 whenever the review was written)." };

    public static Command Create()
    {
        var command = new Command("review", """
            Render a run's manifest (default: the task's latest run) as Markdown for a reviewer:
            outcome, commands with duration and exit code, approvals and escalations, the guardrail
            recommendation, links to logs. Written as review.md beside the manifest and printed;
            appended to $GITHUB_STEP_SUMMARY when set; under GitHub Actions failed commands also
            become ::error annotations. See docs/review.md.

            Examples:
              orchestrator review
              orchestrator review --task nightly --run 2026-11-22T06-19-40-057Z-c1ba678a
              orchestrator review --format json --fail-on-fail
            """)
        {
            Run, Manifest, StartCommand.Task, StartCommand.RunsRoot, StartCommand.Config, StartCommand.Cwd, StartCommand.Format, FailOnFail,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        string cwd = parse.GetValue(StartCommand.Cwd) is { Length: > 0 } dir ? Path.GetFullPath(dir) : Environment.CurrentDirectory;
        string? config = parse.GetValue(StartCommand.Config);
        var request = new ReviewRequest
        {
            ManifestPath = parse.GetValue(Manifest) is { Length: > 0 } manifest ? Path.GetFullPath(manifest, cwd) : null,
            RunId = parse.GetValue(Run),
            TaskId = TaskArgument.Check(parse.GetValue(StartCommand.Task)),
            RunsRoot = parse.GetValue(StartCommand.RunsRoot),
            WorkingDirectory = cwd,
            ConfigFile = string.IsNullOrWhiteSpace(config) ? null : Path.GetFullPath(config, cwd),
            AnnotationWriter = Console.Out,
        };

        ReviewResult result;
        try
        {
            result = await new OrchestratorClient().ReviewAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OrchestratorException ex)
        {
            throw StartCommand.Map(ex);
        }

        if (parse.GetValue(StartCommand.Format) == "json")
        {
            var document = new JsonObject
            {
                ["taskId"] = result.TaskId,
                ["runId"] = result.RunId,
                ["manifestPath"] = result.ManifestPath,
                ["reviewPath"] = result.ReviewPath,
                ["outcome"] = result.Outcome,
                ["recommendation"] = result.Recommendation,
                ["recommendationSource"] = result.RecommendationSource,
                ["failedCommands"] = result.FailedCommands,
                ["stepSummaryPath"] = result.StepSummaryPath,
            };
            await Console.Out.WriteAsync(document.ToJsonString() + "\n").ConfigureAwait(false);
        }
        else
        {
            await Console.Out.WriteAsync(result.Markdown.EndsWith('\n') ? result.Markdown : result.Markdown + "\n").ConfigureAwait(false);
        }

        return parse.GetValue(FailOnFail) && result.Recommendation == "fail" ? 1 : ExitCodes.Success;
    }
}
