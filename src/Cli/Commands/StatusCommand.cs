using System.CommandLine;
using System.Text.Json;
using Orchestrator.Cli.Output;
using Orchestrator.Core;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Json;
using Orchestrator.Core.Runs;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// `orchestrator status [--task] [--run] [--watch]`: where a task's latest (or a given) run is and
/// how it stands; with --watch, its events as they are written until <c>run:summary</c>.
/// </summary>
internal static class StatusCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private static readonly Option<string?> Task = new("--task") { Description = "Task id (default: MCP_RUNNER_TASK_ID, then 'default').", HelpName = "id" };
    private static readonly Option<string?> Run = new("--run") { Description = "A run id of the task (default: its latest run).", HelpName = "run-id" };
    private static readonly Option<bool> Watch = new("--watch") { Description = "Follow the run's events until run:summary; exits with the run's exit code." };
    private static readonly Option<bool> Json = new("--json") { Description = "Print one JSON document instead of text (with --watch: the events as JSONL)." };
    private static readonly Option<string?> RunsRoot = new("--runs-root") { Description = "Where runs are (default: .runs at the workspace root).", HelpName = "dir" };

    public static Command Create()
    {
        var command = new Command("status", """
            Show the latest run of a task (from out/<task>/runs.jsonl when it has entries, else from the
            run directories under .runs/<task>/cli/), or a given run; --watch follows a live run.

            Examples:
              orchestrator status
              orchestrator status --task build --json
              orchestrator status --task build --run 2025-11-03T23-58-59-546Z-49371323 --watch
            """)
        {
            Task, Run, Watch, Json, RunsRoot,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        string cwd = Environment.CurrentDirectory;
        string? task = TaskArgument.Check(parse.GetValue(Task));
        string taskId = TaskId.Resolve(task, Environment.GetEnvironmentVariable);
        string? runsRoot = parse.GetValue(RunsRoot);
        RunReference reference = Locate(taskId, parse.GetValue(Run), runsRoot, cwd);
        var client = new OrchestratorClient();
        bool json = parse.GetValue(Json);
        if (parse.GetValue(Watch))
        {
            try
            {
                return await WatchAsync(client, reference, json, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
            {
                // The reader of stdout went away (EPIPE).
                return ExitCodes.OutputClosed;
            }
        }

        RunManifest manifest;
        try
        {
            manifest = await client.ReadManifestAsync(reference.ManifestPath, cancellationToken).ConfigureAwait(false);
        }
        catch (OrchestratorException ex)
        {
            throw ExecCommand.Map(ex);
        }

        // A run that says in_progress may be one whose writer died: say so rather than "in progress".
        RunLivenessReport? liveness = manifest.Status is RunStatus.InProgress or RunStatus.Queued ? RunLiveness.Inspect(manifest) : null;
        foreach (var warning in reference.Warnings)
        {
            Console.Error.WriteLine($"orchestrator: warning: {warning.Code}: {warning.Message}");
        }

        var report = new StatusReport
        {
            Stale = liveness?.IsStale == true,
            Liveness = liveness?.Reason,
            Warnings = reference.Warnings,
            TaskId = manifest.TaskId,
            RunId = manifest.RunId,
            Status = WireNames.Of(manifest.Status),
            StatusDetail = manifest.StatusDetail,
            ExitCode = manifest.ExitCode,
            StartedAt = manifest.StartedAt,
            CompletedAt = manifest.CompletedAt,
            HeartbeatAt = manifest.HeartbeatAt,
            Source = reference.Source,
            ManifestPath = reference.ManifestPath,
            EventsPath = reference.EventsPath,
        };
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(report, CliJson.Context.StatusReport));
        }
        else
        {
            Console.Out.WriteLine($"task      {report.TaskId}");
            Console.Out.WriteLine($"run       {report.RunId}");
            Console.Out.WriteLine($"status    {report.Status}{(report.Stale ? " (stale)" : string.Empty)}{(report.ExitCode is { } code ? $" (exit {code})" : string.Empty)}{(report.StatusDetail is { } detail ? $": {detail}" : string.Empty)}");
            if (report.Liveness is { } live)
            {
                Console.Out.WriteLine($"liveness  {live}");
            }

            Console.Out.WriteLine($"started   {report.StartedAt:O}");
            Console.Out.WriteLine($"completed {(report.CompletedAt is { } at ? at.ToString("O") : "-")}");
            Console.Out.WriteLine($"manifest  {report.ManifestPath}");
        }

        return ExitCodes.Success;
    }

    private static RunReference Locate(string taskId, string? runId, string? runsRoot, string cwd)
    {
        if (runId is not null)
        {
            if (!RunId.IsValid(runId))
            {
                throw new CliError(ExitCodes.Usage, $"--run '{runId}' is not a run id (e.g. 2025-11-03T23-58-59-546Z-49371323).");
            }

            string root = string.IsNullOrEmpty(runsRoot) ? WorkspaceLocator.DefaultRunsRoot(cwd) : Path.GetFullPath(runsRoot, cwd);
            string manifestPath = new RunPaths(root, taskId, runId).ManifestPath;
            if (!File.Exists(manifestPath))
            {
                throw new CliError(ExitCodes.NotFound, $"Task '{taskId}' has no run '{runId}' ({manifestPath} does not exist).");
            }

            return new RunReference(taskId, runId, manifestPath, RunStatus.InProgress, "run-id");
        }

        try
        {
            return new OrchestratorClient().FindLatestRun(taskId, runsRoot, cwd)
                ?? throw new CliError(ExitCodes.NotFound, $"Task '{taskId}' has no runs.");
        }
        catch (OrchestratorException ex)
        {
            throw ExecCommand.Map(ex);
        }
    }

    /// <summary>
    /// Tails events.jsonl: whole lines only (a line still being written is read on the next poll),
    /// until run:summary. Gives up when the run's writer stopped: no new event and a heartbeat older
    /// than three intervals.
    /// </summary>
    private static async Task<int> WatchAsync(OrchestratorClient client, RunReference reference, bool json, CancellationToken cancellationToken)
    {
        using var stdout = StandardStreams.OpenStdout();
        long offset = 0;
        var pending = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        while (!cancellationToken.IsCancellationRequested)
        {
            int read = 0;
            if (File.Exists(reference.EventsPath))
            {
                using var stream = new FileStream(reference.EventsPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                stream.Seek(offset, SeekOrigin.Begin);
                while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    offset += read;
                    int start = 0;
                    for (int i = 0; i < read; i++)
                    {
                        if (buffer[i] != (byte)'\n')
                        {
                            continue;
                        }

                        pending.Write(buffer, start, i - start);
                        start = i + 1;
                        if (Print(stdout, pending, json) is { } summary)
                        {
                            return summary.ExitCode is int code ? code : summary.Status == "succeeded" ? ExitCodes.Success : ExitCodes.Internal;
                        }

                        pending.SetLength(0);
                    }

                    pending.Write(buffer, start, read - start);
                }
            }

            if (await IsStaleAsync(client, reference, cancellationToken).ConfigureAwait(false))
            {
                await Console.Error.WriteLineAsync($"orchestrator: run {reference.RunId} stopped without a summary (its heartbeat is stale): {reference.ManifestPath}").ConfigureAwait(false);
                return ExitCodes.Stale;
            }

            await System.Threading.Tasks.Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Cancelled;
    }

    private static RunSummaryPayload? Print(Stream stdout, MemoryStream line, bool json)
    {
        ReadOnlySpan<byte> bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
        ExecEvent? executionEvent;
        try
        {
            executionEvent = JsonSerializer.Deserialize(bytes, JsonDefaults.Events.ExecEvent);
        }
        catch (JsonException)
        {
            return null;
        }

        if (json)
        {
            stdout.Write(bytes);
            stdout.Write("\n"u8);
        }
        else if (executionEvent is not null)
        {
            string? text = executionEvent.Payload switch
            {
                RunBeginPayload begin => $"run {executionEvent.RunId} began in {begin.Cwd}",
                ExecBeginPayload begin => $"$ {CommandDisplay.Escape(begin.Command)}",
                ExecChunkPayload chunk => chunk.Text is { } t ? t.TrimEnd('\n') : $"[{chunk.Bytes} bytes of binary output]",
                ExecRetryPayload retry => $"retry: {retry.Reason} ({retry.Evidence})",
                ExecEndPayload end => $"exec {end.ExecId}: {end.Status}{(end.ExitCode is { } c ? $" (exit {c})" : string.Empty)}",
                RunSummaryPayload summary => $"run {summary.Status}{(summary.StatusDetail is { } d ? $": {d}" : string.Empty)}",
                _ => null,
            };
            if (text is not null)
            {
                Console.Out.WriteLine(text);
            }
        }

        return executionEvent?.Payload as RunSummaryPayload;
    }

    private static async Task<bool> IsStaleAsync(OrchestratorClient client, RunReference reference, CancellationToken cancellationToken)
    {
        try
        {
            var manifest = await client.ReadManifestAsync(reference.ManifestPath, cancellationToken).ConfigureAwait(false);
            if (manifest.Status != RunStatus.InProgress)
            {
                // Completed: the summary line is in the file; the next read finds it.
                return false;
            }

            var interval = TimeSpan.FromMilliseconds(manifest.HeartbeatIntervalMs > 0 ? manifest.HeartbeatIntervalMs : 5000);
            return DateTimeOffset.UtcNow - manifest.HeartbeatAt > interval * 3;
        }
        catch (OrchestratorException)
        {
            return false; // mid-replace; try again
        }
    }
}
