using System.Text.Json;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Runs.State;

namespace Orchestrator.Core.Review;

/// <summary>
/// Finds the manifest a review is about: a path given directly, a run id of the task, or the task's
/// latest run (the TaskStateStore's newest run when it names a manifest under the runs root, else the
/// run directory whose manifest has the latest <c>startedAt</c>).
/// </summary>
public static class RunManifestLocator
{
    /// <exception cref="OrchestratorException">
    /// <see cref="OrchestratorErrorCode.RunNotFound"/> when there is no such run (or no run at all),
    /// <see cref="OrchestratorErrorCode.InvalidRunId"/>/<see cref="OrchestratorErrorCode.InvalidTaskId"/> for ids of the wrong shape,
    /// <see cref="OrchestratorErrorCode.InvalidConfiguration"/> when the configuration cannot be read.
    /// </exception>
    public static string Locate(ReviewRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string cwd = Path.GetFullPath(request.WorkingDirectory ?? Directory.GetCurrentDirectory());
        if (!string.IsNullOrWhiteSpace(request.ManifestPath))
        {
            string path = Path.GetFullPath(request.ManifestPath, cwd);
            if (Directory.Exists(path))
            {
                path = Path.Combine(path, RunPaths.ManifestFileName);
            }

            return File.Exists(path)
                ? path
                : throw new OrchestratorException(OrchestratorErrorCode.RunNotFound, $"There is no manifest at '{path}'.");
        }

        var (taskId, runsRoot) = ResolveTaskAndRoot(request, cwd);
        if (!string.IsNullOrWhiteSpace(request.RunId))
        {
            if (!Runs.RunId.IsValid(request.RunId))
            {
                throw new OrchestratorException(OrchestratorErrorCode.InvalidRunId,
                    $"'{request.RunId}' is not a run id (expected e.g. 2025-11-03T23-58-59-546Z-49371323).");
            }

            var paths = new RunPaths(runsRoot, taskId, request.RunId);
            return File.Exists(paths.ManifestPath)
                ? paths.ManifestPath
                : throw new OrchestratorException(OrchestratorErrorCode.RunNotFound,
                    $"Task '{taskId}' has no run '{request.RunId}' under '{runsRoot}' (no file '{paths.ManifestPath}').");
        }

        string taskRuns = RunPaths.TaskRunsDirectory(runsRoot, taskId);
        // Where runs append their state by default: out/ beside the runs root (the workspace's out/ for .runs).
        string stateRoot = string.IsNullOrWhiteSpace(request.StateRoot)
            ? Path.Combine(Path.GetDirectoryName(runsRoot.TrimEnd(Path.DirectorySeparatorChar)) ?? runsRoot, TaskStateStore.DefaultDirectoryName)
            : Path.GetFullPath(request.StateRoot, cwd);
        return LatestFromStateStore(stateRoot, taskId, runsRoot)
            ?? LatestByStartedAt(taskRuns)
            ?? throw new OrchestratorException(OrchestratorErrorCode.RunNotFound,
                $"Task '{taskId}' has no runs under '{runsRoot}' (nothing in '{taskRuns}').");
    }

    private static (string TaskId, string RunsRoot) ResolveTaskAndRoot(ReviewRequest request, string cwd)
    {
        if (!string.IsNullOrWhiteSpace(request.TaskId) && !Runs.TaskId.IsValid(request.TaskId, out string? problem))
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidTaskId, $"Invalid task id '{request.TaskId}': {problem}.");
        }

        var explicitSettings = new ExplicitSettings
        {
            TaskId = string.IsNullOrWhiteSpace(request.TaskId) ? null : request.TaskId,
            RunsRoot = string.IsNullOrWhiteSpace(request.RunsRoot) ? null : request.RunsRoot,
        };
        var options = RunOptionsResolver.Resolve(cwd, explicitSettings, new RunOptions(), request.Environment,
            string.IsNullOrWhiteSpace(request.ConfigFile) ? null : Path.GetFullPath(request.ConfigFile, cwd));
        var environment = request.Environment ?? System.Environment.GetEnvironmentVariable;
        string taskId = Runs.TaskId.Resolve(options.TaskId, environment);
        string runsRoot = string.IsNullOrEmpty(options.RunsRoot)
            ? WorkspaceLocator.DefaultRunsRoot(cwd)
            : Path.GetFullPath(options.RunsRoot, cwd);
        return (taskId, runsRoot);
    }

    /// <summary>The store's newest run that can be believed for this runs root (its own folder, a manifest that exists).</summary>
    private static string? LatestFromStateStore(string stateRoot, string taskId, string runsRoot)
    {
        if (!File.Exists(Path.Combine(stateRoot, taskId, TaskStateStore.FileName)))
        {
            return null;
        }

        var store = TaskStateStore.Open(stateRoot, taskId);
        return store.LatestTrustedRun(runsRoot) is TaskStateEntry latest ? store.ResolveManifestPath(latest) : null;
    }

    /// <summary>
    /// The manifest with the latest <c>startedAt</c> (run id breaks ties). Manifests that cannot be
    /// read are passed over; when every one is unreadable that is an error, not "no runs".
    /// </summary>
    private static string? LatestByStartedAt(string taskRuns)
    {
        if (!Directory.Exists(taskRuns))
        {
            return null;
        }

        string? best = null;
        DateTimeOffset bestStart = DateTimeOffset.MinValue;
        string? bestRun = null;
        string? unreadable = null;
        foreach (string runDirectory in Directory.EnumerateDirectories(taskRuns))
        {
            string manifest = Path.Combine(runDirectory, RunPaths.ManifestFileName);
            if (!File.Exists(manifest))
            {
                continue;
            }

            string run = Path.GetFileName(runDirectory);
            if (ReadStartedAt(manifest) is not DateTimeOffset started)
            {
                unreadable ??= manifest;
                continue;
            }

            if (best is null || started > bestStart || (started == bestStart && string.CompareOrdinal(run, bestRun) > 0))
            {
                (best, bestStart, bestRun) = (manifest, started, run);
            }
        }

        if (best is null && unreadable is not null)
        {
            throw new OrchestratorException(OrchestratorErrorCode.CorruptRunRecord,
                $"No readable manifest under '{taskRuns}': '{unreadable}' is not a valid manifest.");
        }

        return best;
    }

    private static DateTimeOffset? ReadStartedAt(string manifest)
    {
        try
        {
            using var stream = new FileStream(manifest, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var document = JsonDocument.Parse(stream);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                   document.RootElement.TryGetProperty("startedAt", out var started) &&
                   started.ValueKind == JsonValueKind.String &&
                   started.TryGetDateTimeOffset(out var value)
                ? value
                : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
