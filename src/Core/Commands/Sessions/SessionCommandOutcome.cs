using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Commands.Sessions;

/// <summary>How a command run in a session ended.</summary>
/// <param name="ExitCode">Its exit status as the shell reported it ($?); null when the shell died first.</param>
/// <param name="Termination">Set when we ended it (timeout or cancellation).</param>
/// <param name="Duration">From writing the command to its end marker.</param>
/// <param name="Error">Why no status exists (the shell exited, the session was disposed).</param>
public sealed record SessionCommandOutcome(int? ExitCode, TerminationInfo? Termination, TimeSpan Duration, string? Error)
{
    /// <summary>An exception thrown while recording the command's output; the command still ran to its end.</summary>
    public Exception? RecordingError { get; init; }
}
