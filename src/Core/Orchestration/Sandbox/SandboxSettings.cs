using System.Collections.Immutable;

namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>What a sandboxed command may touch.</summary>
/// <param name="Mode">read-only, workspace-write or danger-full-access (no sandbox).</param>
/// <param name="NetworkAccess">False gives the command a network namespace of its own (no interfaces but loopback).</param>
/// <param name="WritableRoots">Extra directories writable in workspace-write (e.g. a package cache); missing ones are skipped.</param>
/// <param name="ProtectGit">Keep the workspace's .git read-only even in workspace-write.</param>
/// <param name="BubblewrapPath">Use this bwrap instead of the one on PATH (ORCHESTRATOR_BWRAP).</param>
/// <param name="Limits">Processes and memory per command; null means <see cref="SandboxLimits.Default"/>.</param>
public sealed record SandboxSettings(
    SandboxMode Mode,
    bool NetworkAccess,
    ImmutableArray<string> WritableRoots,
    bool ProtectGit = true,
    string? BubblewrapPath = null,
    SandboxLimits? Limits = null)
{
    /// <summary>The limits in force: <see cref="Limits"/>, else the defaults.</summary>
    public SandboxLimits EffectiveLimits => Limits ?? SandboxLimits.Default;

    public static SandboxSettings Default { get; } = new(SandboxMode.WorkspaceWrite, false, []);

    /// <summary>No sandbox: what danger-full-access means, and what an escalated attempt runs with.</summary>
    public static SandboxSettings None { get; } = new(SandboxMode.DangerFullAccess, true, []);

    public bool IsSandboxed => Mode != SandboxMode.DangerFullAccess;
}
