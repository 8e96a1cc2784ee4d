namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>What the sandbox denied.</summary>
public enum SandboxDenialKind
{
    /// <summary>A write (or another file operation) refused: EROFS, EACCES, EPERM.</summary>
    FileSystem,

    /// <summary>Network access refused: no route, failed name resolution.</summary>
    Network,
}
