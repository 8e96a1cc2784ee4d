using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Pipelines;

/// <summary>Finds the run a resume names and decides whether it can be resumed (docs/pipelines.md#resume).</summary>
internal static class RunResumer
{
    public static (RunManifest Resumed, PipelineDefinition Pipeline, PipelineCatalog Catalog) Prepare(string runIdOrToken, RunOptions options, PipelineCatalog catalog)
    {
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

    private static string Locate(string runId, RunOptions options)
    {
        string cwd = Path.GetFullPath(options.WorkingDirectory ?? Environment.CurrentDirectory);
        string runsRoot = string.IsNullOrEmpty(options.RunsRoot) ? WorkspaceLocator.DefaultRunsRoot(cwd) : Path.GetFullPath(options.RunsRoot, cwd);
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
