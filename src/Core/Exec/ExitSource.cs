namespace Orchestrator.Core.Exec;

/// <summary>
/// How the I/O loop learns that its process ended and with what status: a pollable descriptor
/// that becomes readable at the end, and a non-blocking collect. A child of ours is reaped with
/// waitpid; the seam stays so a launcher that does not own its child can report the status instead.
/// </summary>
internal abstract class ExitSource : IDisposable
{
    /// <summary>Readable when the process may have ended; -1 means poll <see cref="TryCollect"/> on a timer.</summary>
    public abstract int PollFd { get; }

    /// <summary>True once the process has ended; the exit code (128+N for a signal) and signal when known.</summary>
    public abstract bool TryCollect(out int? exitCode, out int? signal);

    public abstract void Dispose();
}
