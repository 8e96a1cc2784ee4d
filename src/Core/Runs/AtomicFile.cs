using System.Runtime.InteropServices;
using Orchestrator.Core.Native;

namespace Orchestrator.Core.Runs;

/// <summary>
/// Replaces a file atomically: the new content goes to a temp file in the same directory, which then
/// takes the target's name in one step. A reader sees the old or the new content, never a mix and
/// never a missing file, even if the writer is killed half-way.
/// </summary>
/// <remarks>
/// When the target exists, the temp file and the target swap names (renameat2 RENAME_EXCHANGE) and
/// the old content is unlinked. A plain rename over an existing file would make ext4 start writing
/// the new data to disk at once (auto_da_alloc) and free the old file's blocks (a synchronous discard
/// on some mounts): about 0.5 ms per write here against 0.1 ms for the swap, and a run rewrites its
/// manifest several times per command. File systems without the swap get the plain rename.
/// </remarks>
public static unsafe class AtomicFile
{
    private static volatile bool _exchangeUnsupported;

    /// <param name="path">The file to replace.</param>
    /// <param name="content">The complete new content.</param>
    /// <param name="durable">Also fsync the data before it becomes visible (survives power loss, costs a disk flush).</param>
    public static void Write(string path, ReadOnlySpan<byte> content, bool durable)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        // The directory is trusted as given (callers outside the records: review.md, probe caches).
        using SafeDirectory handle = SafeDirectory.TryOpen(directory, directory, create: false)
            ?? throw new DirectoryNotFoundException($"Cannot write '{full}': the directory does not exist.");
        Write(handle, Path.GetFileName(full), content, durable);
    }

    /// <summary>
    /// Replaces <paramref name="name"/> in a verified directory: the temp file is created there with
    /// O_EXCL|O_NOFOLLOW and takes the name by renameat, so a link planted at the name is refused
    /// (an <see cref="OrchestratorException"/> naming it) and nothing outside is ever written.
    /// </summary>
    internal static void Write(SafeDirectory directory, string name, ReadOnlySpan<byte> content, bool durable)
    {
        directory.EnsureRegularOrMissing(name);
        string temp = $".{name}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            WriteNew(directory, temp, content, durable);
            if (!TryExchange(directory, temp, name))
            {
                directory.Rename(temp, name);
                return;
            }
        }
        catch
        {
            directory.TryUnlink(temp);
            throw;
        }

        // After the swap the temp name holds the previous content: readers that opened it keep it.
        directory.TryUnlink(temp);
    }

    /// <summary>
    /// Creates the temp file and writes it with plain open/write/close: FileStream would add an
    /// fstat and an flock (its FileShare emulation) to each of the several writes a run makes.
    /// </summary>
    private static void WriteNew(SafeDirectory directory, string temp, ReadOnlySpan<byte> content, bool durable)
    {
        string tempPath = Path.Combine(directory.FullPath, temp);
        int fd = directory.OpenFile(temp, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL);
        try
        {
            fixed (byte* start = content)
            {
                int written = 0;
                while (written < content.Length)
                {
                    nint n = LibC.write(fd, start + written, content.Length - written);
                    if (n < 0)
                    {
                        int errno = Marshal.GetLastPInvokeError();
                        if (errno == LibC.EINTR)
                        {
                            continue;
                        }

                        throw Failure(tempPath, errno);
                    }

                    written += (int)n;
                }
            }

            if (durable && LibC.fsync(fd) != 0)
            {
                throw Failure(tempPath, Marshal.GetLastPInvokeError());
            }
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /// <summary>The exception FileStream would have thrown, so callers' handling stays the same.</summary>
    private static Exception Failure(string path, int errno)
    {
        string message = $"Cannot write '{path}': {Marshal.GetPInvokeErrorMessage(errno)}";
        return errno switch
        {
            LibC.EACCES or EPERM => new UnauthorizedAccessException(message),
            LibC.ENOENT => new DirectoryNotFoundException(message),
            _ => new IOException(message, errno),
        };
    }

    private const int EPERM = 1;

    private static bool TryExchange(SafeDirectory directory, string temp, string name)
    {
        if (_exchangeUnsupported)
        {
            return false;
        }

        int errno = directory.TryExchange(temp, name);
        if (errno == 0)
        {
            return true;
        }

        if (errno is LibC.EINVAL or LibC.ENOSYS or LibC.EOPNOTSUPP)
        {
            _exchangeUnsupported = true; // this kernel or file system cannot swap: rename from now on
        }

        // ENOENT: nothing to swap with yet (the first write); anything else: let rename report it.
        return false;
    }
}
