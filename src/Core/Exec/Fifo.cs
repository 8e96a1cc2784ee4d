using System.Runtime.InteropServices;
using Orchestrator.Core.Native;

namespace Orchestrator.Core.Exec;

/// <summary>Named pipes a sandbox session's commands write their output to.</summary>
internal static unsafe class Fifo
{
    public static int OpenReader(string path)
    {
        using var native = new NativeString(path);
        if (LibC.mkfifo(native.Pointer, LibC.Mode0600) != 0)
        {
            throw new IOException($"Could not create the FIFO '{path}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        // Non-blocking: opening for reading must not wait for the writer, and reads must not block the loop.
        int fd = LibC.open(native.Pointer, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new IOException($"Could not open the FIFO '{path}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        fd = LibC.EnsureAboveStdio(fd);
        LibC.fcntl(fd, LibC.F_SETPIPE_SZ, ProcessRunner.PipeCapacity);
        return fd;
    }
}
