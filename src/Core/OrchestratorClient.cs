using Orchestrator.Core.Exec;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core;

/// <summary>
/// The SDK entry point and the core every door calls: one run per call, its commands run in order,
/// recorded under <c>.runs/&lt;task-id&gt;/cli/&lt;run-id&gt;/</c>.
/// </summary>
public sealed class OrchestratorClient
{
    /// <summary>Runs one command as a run of its own.</summary>
    public Task<RunResult> ExecAsync(ExecRequest request, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync([request], options, cancellationToken);

    /// <summary>
    /// Runs commands in order as one run, stopping at the first one that does not succeed. The run's
    /// status is <c>succeeded</c> when every command succeeded, <c>cancelled</c> when the token
    /// ended it, otherwise <c>failed</c>.
    /// </summary>
    public async Task<RunResult> RunAsync(IReadOnlyList<ExecRequest> commands, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        if (commands.Count == 0)
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest, "A run needs at least one command.");
        }

        options ??= new RunOptions();
        using var run = RunRecorder.Start(options);
        var results = new List<CommandResult>(commands.Count);
        try
        {
            string? stopReason = null;
            foreach (var request in commands)
            {
                if (stopReason is not null)
                {
                    CommandExecutor.RecordSkipped(run, request, stopReason);
                    continue;
                }

                var result = await CommandExecutor.RunAsync(run, request, cancellationToken).ConfigureAwait(false);
                results.Add(result);
                if (!result.Succeeded)
                {
                    stopReason = $"not run: command {result.Index} ({result.Id}) {WireNames.Of(result.Status).Replace('_', ' ')}";
                }
            }
        }
        catch (Exception ex)
        {
            run.Abandon(ex);
            throw;
        }

        var (status, detail, exitCode) = Summarize(results);
        run.Complete(status, detail, exitCode);
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
            Commands = results,
        };
    }

    internal static (RunStatus Status, string? Detail, int? ExitCode) Summarize(IReadOnlyList<CommandResult> results)
    {
        foreach (var result in results)
        {
            string name = $"command {result.Index} ({result.Id})";
            switch (result.Status)
            {
                case CommandStatus.Cancelled:
                    return (RunStatus.Cancelled, $"{name} was cancelled", result.ExitCode);
                case CommandStatus.TimedOut:
                    return (RunStatus.Failed, $"{name} timed out after {(result.Timeout ?? result.Duration).TotalSeconds:0.###} s", result.ExitCode);
                case CommandStatus.Failed when result.Error is not null:
                    return (RunStatus.Failed, $"{name} failed: {result.Error.Message}", result.ExitCode);
                case CommandStatus.Failed:
                    return (RunStatus.Failed, result.Signal is not null
                        ? $"{name} was killed by {result.Signal}"
                        : $"{name} exited with code {result.ExitCode}", result.ExitCode);
            }
        }

        return (RunStatus.Succeeded, null, results.Count > 0 ? results[^1].ExitCode : 0);
    }
}
