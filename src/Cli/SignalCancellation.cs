using System.Runtime.InteropServices;

namespace Orchestrator.Cli;

/// <summary>
/// Turns SIGINT (Ctrl+C), SIGTERM and SIGQUIT into cancellation of the run: the Core then ends the
/// command's process tree (SIGTERM, then SIGKILL after the grace period) and writes a cancelled
/// manifest before the CLI exits. A second signal is left to the default action (exit at once).
/// </summary>
internal sealed class SignalCancellation : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _count;

    public SignalCancellation()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Handle),
        ];
    }

    public CancellationToken Token => _source.Token;

    public PosixSignal? Received { get; private set; }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _count) > 1)
        {
            return; // default action: the user insists
        }

        context.Cancel = true;
        Received = context.Signal;
        _source.Cancel();
    }
}
