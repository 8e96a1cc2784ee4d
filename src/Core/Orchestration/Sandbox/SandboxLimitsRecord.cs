namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>The limits a sandboxed command ran under and what enforced each (manifest <c>sandbox.limits</c>).</summary>
/// <param name="MaxProcesses">Processes and threads; 0 when unlimited.</param>
/// <param name="ProcessesEnforcedBy">One of <see cref="LimitEnforcement"/>.</param>
/// <param name="MaxMemoryBytes">Memory; 0 when unlimited.</param>
/// <param name="MemoryEnforcedBy">One of <see cref="LimitEnforcement"/>.</param>
/// <param name="Detail">Why a limit is not enforced, or how weakly.</param>
public sealed record SandboxLimitsRecord(int MaxProcesses, string ProcessesEnforcedBy, long MaxMemoryBytes, string MemoryEnforcedBy, string? Detail);
