using Orchestrator.Core.Runs;

namespace Orchestrator.Core;

/// <summary>Where a run's record lies, as found by <see cref="OrchestratorClient.FindLatestRun"/>.</summary>
/// <param name="TaskId">The task the run belongs to.</param>
/// <param name="RunId">The run's id.</param>
/// <param name="ManifestPath">Full path of its manifest.json.</param>
/// <param name="Status">Its status as last recorded (the task state line, or the manifest).</param>
/// <param name="Source"><c>task-state</c> when found in the task's runs.jsonl, <c>scan</c> when found by listing run directories.</param>
public sealed record RunReference(string TaskId, string RunId, string ManifestPath, RunStatus Status, string Source)
{
    /// <summary>
    /// What was noticed finding it: task state lines not believed (<c>TaskStateTampered</c>, naming
    /// the line), runs whose manifest is gone (<c>TaskStateManifestMissing</c>), unreadable lines.
    /// The reference itself is the latest run that could be believed.
    /// </summary>
    public IReadOnlyList<RunWarning> Warnings { get; init; } = [];

    /// <summary>Full path of the run's events.jsonl (beside the manifest).</summary>
    public string EventsPath => Path.Combine(Path.GetDirectoryName(ManifestPath)!, RunPaths.EventsFileName);
}
