using Orchestrator.Core.Commands;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Review;
using Orchestrator.Core.Runs;

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
        var (run, observers) = RunObservers.StartRun(options);
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
            await observers.FinishAsync(run).ConfigureAwait(false);
            throw;
        }

        var (status, detail, exitCode) = Summarize(toolRuns);
        run.Complete(status, detail, exitCode);
        await observers.FinishAsync(run).ConfigureAwait(false);
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
