namespace Orchestrator.Core.Outcomes;

/// <summary>What became of one command, as every door reports it.</summary>
public enum OutcomeKind
{
    Succeeded,

    /// <summary>A non-zero exit code (or a death by a signal not ours) that IgnoreExitCode told us to accept.</summary>
    ExitCodeIgnored,

    /// <summary>A non-zero exit code.</summary>
    ExitCode,

    /// <summary>A non-zero exit code whose output reads like a sandbox refusal that nothing proves.</summary>
    ExitCodePossiblyDenied,

    /// <summary>Killed by a signal it did not get from us.</summary>
    KilledBySignal,

    TimedOut,

    Cancelled,

    /// <summary>It could not start (program, directory, format, arguments, terminal).</summary>
    StartFailed,

    /// <summary>Its output could not be recorded; it was stopped.</summary>
    RecordingFailed,

    /// <summary>Its PTY session's shell ended under it: no exit status.</summary>
    SessionEnded,

    /// <summary>A sandbox limit on processes or memory stopped it.</summary>
    LimitExceeded,

    /// <summary>An approval it needed was not given; it did not run (or not outside the sandbox).</summary>
    Denied,

    /// <summary>No sandbox is available and running without one was not approved.</summary>
    SandboxUnavailable,
}
