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

    /// <summary>Blocks until the lock on <paramref name="lockPath"/> is held (the file is created if needed; its directory is trusted as given).</summary>
    public static FileLock Acquire(string lockPath)
    {
        string full = Path.GetFullPath(lockPath);
        string directory = Path.GetDirectoryName(full) ?? ".";
        using SafeDirectory handle = SafeDirectory.Open(directory, directory, create: false);
        return Acquire(handle, Path.GetFileName(full));
    }

    /// <summary>
    /// Blocks until the lock on <paramref name="name"/> in a verified directory is held. The lock file
    /// is opened without following a link and must be a regular file: a FIFO planted there cannot
    /// block the open, a link cannot make us create or lock a file elsewhere.
    /// </summary>
    internal static FileLock Acquire(SafeDirectory directory, string name)
    {
        int fd = directory.OpenFile(name, LibC.O_RDWR | LibC.O_CREAT);
        while (LibC.flock(fd, LibC.LOCK_EX) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.EINTR)
            {
                LibC.close(fd);
                throw new IOException($"Cannot lock '{Path.Combine(directory.FullPath, name)}': {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }

        return new FileLock(fd);
    }

    public void Dispose() => LibC.CloseIfOpen(ref _fd);
}
