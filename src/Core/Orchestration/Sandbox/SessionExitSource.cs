using Orchestrator.Core.Exec;
using Orchestrator.Core.Native;

namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>
/// The end of a process a sandbox session started: the session's host reaps it and reports the
/// status, which arrives here and wakes the I/O loop through an eventfd. If the session dies first,
/// the process died with it and its status is unknown.
/// </summary>
internal sealed unsafe class SessionExitSource : ExitSource
{
    private readonly Lock _gate = new();
    private int _eventFd;
    private bool _ended;
    private int? _exitCode;
    private int? _signal;

    public SessionExitSource()
    {
        _eventFd = LibC.EnsureAboveStdio(LibC.eventfd(0, LibC.O_CLOEXEC | LibC.O_NONBLOCK));
    }

    public override int PollFd => _eventFd;

    /// <summary>Called by the session when the host reports the end (null status: the session died).</summary>
    public void Complete(int? exitCode, int? signal)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            _exitCode = exitCode;
            _signal = signal;
            if (_eventFd >= 0)
            {
                ulong one = 1;
                LibC.write(_eventFd, (byte*)&one, sizeof(ulong));
            }
        }
    }

    public override bool TryCollect(out int? exitCode, out int? signal)
    {
        lock (_gate)
        {
            exitCode = _exitCode;
            signal = _signal;
            return _ended;
        }
    }

    public override void Dispose()
    {
        lock (_gate)
        {
            LibC.CloseIfOpen(ref _eventFd);
        }
    }
}
