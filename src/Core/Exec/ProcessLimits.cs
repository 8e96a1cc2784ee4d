namespace Orchestrator.Core.Exec;

/// <summary>Time bounds for one process.</summary>
/// <param name="Timeout">End the process tree after this long; null = no timeout.</param>
/// <param name="KillGracePeriod">Between SIGTERM and SIGKILL to the process group.</param>
/// <param name="DrainTimeout">After the main process exits, how long to keep reading output that a background child holds open.</param>
public sealed record ProcessLimits(TimeSpan? Timeout, TimeSpan KillGracePeriod, TimeSpan DrainTimeout)
{
    public static ProcessLimits Default { get; } = new(null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
}
