namespace Orchestrator.Core.Runs;

/// <summary>What <see cref="RunLiveness"/> found.</summary>
/// <param name="IsStale">In progress on paper, but nobody is writing it any more.</param>
/// <param name="HeartbeatAge">Time since the manifest's last heartbeat.</param>
public sealed record RunLivenessReport(RunStatus Status, bool IsStale, TimeSpan HeartbeatAge, string Reason);
