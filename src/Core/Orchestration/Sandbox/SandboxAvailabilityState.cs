namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>Whether this machine can sandbox commands.</summary>
public enum SandboxAvailabilityState
{
    /// <summary>bwrap is installed and a probe sandbox ran.</summary>
    Available,

    /// <summary>bwrap is not installed (or not on PATH).</summary>
    Unavailable,

    /// <summary>bwrap is installed but cannot create a sandbox here (no namespaces in this container, ...).</summary>
    Failed,
}
