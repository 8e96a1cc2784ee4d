namespace Orchestrator.Core.Exec;

/// <summary>
/// How the runtime ended a process tree: SIGTERM to the process group first, SIGKILL when the group
/// outlived the grace period. <see cref="Forced"/> says the KILL was needed.
/// </summary>
/// <param name="Reason">Timeout or cancellation.</param>
/// <param name="TermSent">SIGTERM was sent to the process group.</param>
/// <param name="Forced">SIGKILL was sent because the group was still alive after the grace period.</param>
/// <param name="GracePeriod">The grace period between TERM and KILL.</param>
public sealed record TerminationInfo(TerminationReason Reason, bool TermSent, bool Forced, TimeSpan GracePeriod);
