namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>What a session answered to a spawn request: the pid, or why it could not start.</summary>
internal sealed record SessionSpawn(int Pid, int Errno, string? Error);
