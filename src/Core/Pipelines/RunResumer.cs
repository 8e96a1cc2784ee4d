using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Pipelines;

/// <summary>Finds the run a resume names and decides whether it can be resumed (docs/pipelines.md#resume).</summary>
internal static class RunResumer
{
    /// <summary>What a resume can be given instead of a run id: the task's latest top-level pipeline run.</summary>
    public const string Latest = "latest";

    public static (RunManifest Resumed, PipelineDefinition Pipeline, PipelineCatalog Catalog) Prepare(string runIdOrToken, RunOptions options, PipelineCatalog catalog)
    {
        if (string.Equals(runIdOrToken, Latest, StringComparison.Ordinal))
        {
            runIdOrToken = LatestPipelineRun(options);
        }

        string runId = runIdOrToken;
        string? pinnedHash = null;
        int dot = runIdOrToken.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            runId = runIdOrToken[..dot];
            pinnedHash = runIdOrToken[(dot + 1)..];
        }

        try
        {
            RunId.Validate(runId);
        }
        catch (OrchestratorException ex)
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRunId, $"'{runIdOrToken}' is neither a run id nor a resume token: {ex.Message}", ex);
        }

        string manifestPath = Locate(runId, options);
        var resumed = RunLiveness.ReadManifest(manifestPath);
        if (resumed.RunId != runId)
        {
            throw new OrchestratorException(OrchestratorErrorCode.CorruptRunRecord, $"The manifest '{manifestPath}' names the run '{resumed.RunId}', not '{runId}'.");
        }

        if (resumed.PipelineId is null || resumed.PipelineSha256 is null)
        {
            throw Refused(runId, "it is not a pipeline run (only runs of pipelines and guardrails can be resumed)");
        }

        switch (resumed.Status)
        {
            case RunStatus.Succeeded:
                throw Refused(runId, "it succeeded; there is nothing to resume");
            case RunStatus.InProgress or RunStatus.Queued:
                var liveness = RunLiveness.Inspect(resumed);
                if (!liveness.IsStale)
                {
                    throw Refused(runId, $"it is still running ({liveness.Reason})");
                }

                break;
        }

        if (!catalog.TryGet(resumed.PipelineId, out var pipeline))
        {
            throw Refused(runId, $"its pipeline '{resumed.PipelineId}' is no longer configured");
        }

        string current = catalog.DefinitionSha256(resumed.PipelineId);
        if (!string.Equals(current, resumed.PipelineSha256, StringComparison.Ordinal))
        {
            throw Refused(runId, $"the definition of pipeline '{resumed.PipelineId}' changed since that run (sha256 {resumed.PipelineSha256[..16]}… then, {current[..16]}… now); " +
                "skipping its succeeded steps could skip work the new definition needs. Run the pipeline afresh");
        }

        if (pinnedHash is not null && !resumed.PipelineSha256.StartsWith(pinnedHash, StringComparison.Ordinal))
        {
            throw Refused(runId, "the resume token does not match that run's pipeline definition");
        }

        return (resumed, pipeline, catalog);
    }

    /// <summary>
    /// The task's most recently started pipeline run that is not a child run (a resume of a run
    /// counts: it has its parent's pipeline), from the task state (runs.jsonl).
    /// </summary>
    private static string LatestPipelineRun(RunOptions options)
    {
        string runsRoot = RunsRootOf(options);
        string taskId = TaskId.Resolve(options.TaskId, Environment.GetEnvironmentVariable);
        var store = Runs.State.TaskStateStore.Open(RunRecorder.StateRootFor(options, runsRoot), taskId);
        var current = new Dictionary<string, Runs.State.TaskStateEntry>(StringComparer.Ordinal);
        // Only lines naming this task's own run folders count: a forged line must not pick the run resumed.
        foreach (var (entry, _) in store.TrustedEntries(runsRoot))
        {
            current[entry.RunId] = entry;
        }

        // The dictionary keeps the order in which runs first appear, so among runs started in the
        // same millisecond the last one listed started last.
        Runs.State.TaskStateEntry? latest = null;
        foreach (var e in current.Values)
        {
            bool resumable = e.PipelineId is { } p && p != PipelineDefinition.DiagnosticsName &&
                (e.ParentRunId is null || (current.TryGetValue(e.ParentRunId, out var parent) && parent.PipelineId == e.PipelineId));
            if (resumable && (latest is null || RunId.CompareStartTimes(e.RunId, latest.RunId) >= 0))
            {
                latest = e;
            }
        }

        return latest?.RunId ?? throw new OrchestratorException(OrchestratorErrorCode.RunNotFound,
            $"The task '{taskId}' has no pipeline run to resume (its task state is {store.FilePath}).");
    }

    private static string RunsRootOf(RunOptions options)
    {
        string cwd = Path.GetFullPath(options.WorkingDirectory ?? Environment.CurrentDirectory);
        return string.IsNullOrEmpty(options.RunsRoot) ? WorkspaceLocator.DefaultRunsRoot(cwd) : Path.GetFullPath(options.RunsRoot, cwd);
    }

    private static string Locate(string runId, RunOptions options)
    {
        string runsRoot = RunsRootOf(options);
        if (options.TaskId is { } taskId && TaskId.IsValid(taskId, out _))
        {
            string direct = new RunPaths(runsRoot, taskId, runId).ManifestPath;
            if (File.Exists(direct))
            {
                return direct;
            }
        }

        if (Directory.Exists(runsRoot))
        {
            foreach (string task in Directory.EnumerateDirectories(runsRoot))
            {
                string candidate = Path.Combine(task, RunPaths.RunsSegment, runId, RunPaths.ManifestFileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new OrchestratorException(OrchestratorErrorCode.RunNotFound, $"There is no run '{runId}' under the runs root '{runsRoot}'.");
    }

    private static OrchestratorException Refused(string runId, string why) =>
        new(OrchestratorErrorCode.ResumeRefused, $"Cannot resume run '{runId}': {why}.");
}
