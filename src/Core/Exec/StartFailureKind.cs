namespace Orchestrator.Core.Exec;

/// <summary>Why a process could not be started. Each maps to a clear message and a door-specific code.</summary>
public enum StartFailureKind
{
    ProgramNotFound,
    PermissionDenied,
    WorkingDirectoryNotFound,
    ExecFormatError,
    SpawnFailed,

    /// <summary>More arguments or bytes than the kernel (E2BIG) or the sandbox launcher accepts.</summary>
    ArgumentListTooLong,

    /// <summary>No terminal or session could be had (PTYs unsupported here, the session shell did not start, all sessions busy).</summary>
    TerminalUnavailable,
}
