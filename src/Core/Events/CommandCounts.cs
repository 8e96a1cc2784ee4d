namespace Orchestrator.Core.Events;

/// <summary>Commands of a run by status.</summary>
public sealed record CommandCounts(int Total, int Succeeded, int Failed, int TimedOut, int Cancelled, int Skipped);
