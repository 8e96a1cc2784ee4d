using System.Runtime.InteropServices;
using Orchestrator.Core.Native;

namespace Orchestrator.Core.Runs;

/// <summary>
/// An exclusive advisory lock (flock) on a sidecar lock file, held until disposed: how writers in
/// several processes (MSBuild -m, parallel CI jobs on one machine) take turns on a shared file.
/// The lock file is opened directly, not through FileStream, which takes flock locks of its own.
/// </summary>
public sealed unsafe class FileLock : IDisposable
{
    private int _fd;

    private FileLock(int fd) => _fd = fd;

    /// <summary>Blocks until the lock on <paramref name="lockPath"/> is held (the file is created if needed).</summary>
    public static FileLock Acquire(string lockPath)
    {
        using var path = new NativeString(lockPath);
        int fd = LibC.open(path.Pointer, LibC.O_RDWR | LibC.O_CREAT | LibC.O_CLOEXEC, LibC.Mode0666);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot open the lock file '{lockPath}': {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        while (LibC.flock(fd, LibC.LOCK_EX) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.EINTR)
            {
                LibC.close(fd);
                throw new IOException($"Cannot lock '{lockPath}': {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }

        return new FileLock(fd);
    }

    public void Dispose() => LibC.CloseIfOpen(ref _fd);
}
