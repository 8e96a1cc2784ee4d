namespace Orchestrator.Core.Runs;

/// <summary>
/// A run started by a pipeline step (a sub-pipeline), as its parent's manifest lists it.
/// <see cref="ManifestPath"/> is relative to the parent manifest's directory ('/' separated), or
/// absolute when the child lives under another root.
/// </summary>
public sealed record ChildRunRecord(string RunId, string PipelineId, RunStatus Status, string ManifestPath);
