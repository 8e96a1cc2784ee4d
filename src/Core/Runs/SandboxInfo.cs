namespace Orchestrator.Core.Runs;

/// <summary>The run's sandbox: what was asked for and what this machine could do.</summary>
/// <param name="Mode">read-only, workspace-write or danger-full-access.</param>
/// <param name="NetworkAccess">Whether sandboxed commands may use the network.</param>
/// <param name="WritableRoots">Extra writable directories (workspace-write).</param>
/// <param name="ProtectGit">Whether .git stays read-only.</param>
/// <param name="Availability"><c>available</c>, <c>unavailable</c> or <c>failed</c>; null when no sandbox was needed.</param>
/// <param name="Bubblewrap">The bwrap used, if any.</param>
/// <param name="Version">bwrap's version.</param>
/// <param name="Detail">Why the sandbox is not available.</param>
/// <param name="Limits">The process and memory limits of each sandboxed command and what enforces them; null when no sandbox was needed.</param>
/// <param name="ProtectedPaths">What stays read-only inside the sandbox even in workspace-write (records, policy files, .git).</param>
public sealed record SandboxInfo(
    string Mode,
    bool NetworkAccess,
    IReadOnlyList<string> WritableRoots,
    bool ProtectGit,
    string? Availability,
    string? Bubblewrap,
    string? Version,
    string? Detail,
    Orchestration.Sandbox.SandboxLimitsRecord? Limits = null,
    IReadOnlyList<string>? ProtectedPaths = null);
