using System.Collections.Concurrent;
using Orchestrator.Core.Runs.State;

namespace Orchestrator.Core.Runs;

/// <summary>
/// Appends a run's state to its task's <c>runs.jsonl</c> (under the task state root, <c>out/</c> by
/// default). One store per state file and process: a build node running many runs of a task opens
/// (and checks the tail of) the file once, not twice per run. Every append still locks the file and
/// repairs a torn tail, so other writers (other nodes, other processes) stay safe.
/// </summary>
internal static class TaskStateRecorder
{
    private const int MaxCachedStores = 64;

    private static readonly ConcurrentDictionary<(string Root, string TaskId), TaskStateStore> Stores = new();

    /// <summary>The task state root of a run: the option, else <c>out</c> beside the runs root.</summary>
    public static string StateRootFor(RunOptions options, string runsRoot) =>
        string.IsNullOrEmpty(options.StateRoot)
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(runsRoot).TrimEnd(Path.DirectorySeparatorChar)) ?? runsRoot, TaskStateStore.DefaultDirectoryName)
            : Path.GetFullPath(options.StateRoot);

    /// <summary>Appends the line for <paramref name="manifest"/>'s state.</summary>
    /// <exception cref="OrchestratorException">The state file was refused (a link in its place, tampered with).</exception>
    /// <exception cref="IOException">The state file cannot be written.</exception>
    public static void Append(RunOptions options, RunPaths paths, RunManifest manifest) =>
        StoreFor(StateRootFor(options, paths.RunsRoot), paths.TaskId).Append(new TaskStateEntry
        {
            RunId = paths.RunId,
            Status = manifest.Status,
            Timestamp = DateTimeOffset.UtcNow,
            Runner = manifest.Runner,
            PipelineId = manifest.PipelineId,
            ParentRunId = manifest.ParentRunId,
            ManifestPath = paths.ManifestPath,
            ExitCode = manifest.ExitCode,
            StatusDetail = manifest.StatusDetail is { Length: > 1000 } detail ? detail[..997] + "..." : manifest.StatusDetail,
        }, options.DurableWrites);

    private static TaskStateStore StoreFor(string stateRoot, string taskId)
    {
        if (Stores.Count > MaxCachedStores)
        {
            Stores.Clear(); // many roots in one process (tests): start over rather than grow
        }

        return Stores.GetOrAdd((stateRoot, taskId), static key => TaskStateStore.Open(key.Root, key.TaskId));
    }
}
