using Orchestrator.Core.Native;

namespace Orchestrator.Core.Exec;

/// <summary>What happened to one process. Exactly one of <see cref="StartError"/> or an exit status is set.</summary>
public sealed record ProcessOutcome
{
    /// <summary>The pid while it ran; 0 when it never started.</summary>
    public int Pid { get; init; }

    /// <summary>
    /// The exit code; for a process ended by a signal this is 128 + the signal number, as a POSIX shell
    /// reports it, and <see cref="Signal"/> names the signal. Null when the process never started or its
    /// status could not be collected.
    /// </summary>
    public int? ExitCode { get; init; }

    /// <summary>The terminating signal number, or null when the process exited normally.</summary>
    public int? Signal { get; init; }

    public string? SignalName => Signal is int s ? SignalNames.ToName(s) : null;

    public TerminationInfo? Termination { get; init; }

    /// <summary>The main process exited but something it started kept stdout/stderr open past the drain timeout.</summary>
    public bool OutputDrainTimedOut { get; init; }

    public TimeSpan Duration { get; init; }

    public ProcessStartError? StartError { get; init; }

    /// <summary>An exception thrown while recording output (for example a full disk); the process still ran to the end.</summary>
    public Exception? RecordingError { get; init; }

    public bool Started => StartError is null;
}
