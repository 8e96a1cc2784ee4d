using System.Runtime.InteropServices;
using Orchestrator.Core.Native;

namespace Orchestrator.Core.Exec;

/// <summary>Our own child: a pidfd says when it ended (on old kernels a timer does), waitpid collects the status.</summary>
internal sealed unsafe class ChildExitSource : ExitSource
{
    private readonly int _pid;
    private int _pidFd;

    public ChildExitSource(int pid)
    {
        _pid = pid;
        _pidFd = (int)LibC.syscall(LibC.SYS_pidfd_open, pid, 0);
        if (_pidFd >= 0)
        {
            _pidFd = LibC.EnsureAboveStdio(_pidFd);
        }
    }

    public override int PollFd => _pidFd;

    public override bool TryCollect(out int? exitCode, out int? signal)
    {
        exitCode = null;
        signal = null;
        int status;
        int result = LibC.waitpid(_pid, &status, LibC.WNOHANG);
        if (result == _pid)
        {
            Decode(status, out exitCode, out signal);
            return true;
        }

        // ECHILD: someone else reaped our child (SIGCHLD set to SIG_IGN by the host): the process
        // is gone but its status is not ours to know.
        return result < 0 && Marshal.GetLastPInvokeError() == LibC.ECHILD;
    }

    public static void Decode(int status, out int? exitCode, out int? signal)
    {
        exitCode = null;
        signal = null;
        if (LibC.WIfExited(status))
        {
            exitCode = LibC.WExitStatus(status);
        }
        else if (LibC.WIfSignaled(status))
        {
            signal = LibC.WTermSig(status);
            exitCode = 128 + signal.Value;
        }
    }

    public override void Dispose() => LibC.CloseIfOpen(ref _pidFd);
}
