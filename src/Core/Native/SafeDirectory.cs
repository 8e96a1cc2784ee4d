using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Orchestrator.Core.Native;

/// <summary>
/// A directory handle reached from a trusted root one component at a time without following a
/// link, and the writes the orchestrator makes inside it: every file it opens, creates, renames or
/// makes is named relative to this handle with O_NOFOLLOW, so a sandboxed command that can write
/// the workspace cannot point a record (or a directory above it) at a file elsewhere.
/// </summary>
/// <remarks>
/// The trusted root (the parent of a record root: the workspace holding <c>.runs</c> and
/// <c>out</c>) is opened as given, links and all; the record root itself and everything below it
/// must be real directories. A link, or a FIFO, device or directory where a regular file belongs,
/// is an <see cref="OrchestratorException"/> (<see cref="OrchestratorErrorCode.RunsRootNotWritable"/>)
/// naming the path; errors from the file system (ENOSPC, EIO, EACCES) are <see cref="IOException"/>s
/// naming the path, with the errno as their HResult. A per-component walk works on every kernel;
/// openat2's RESOLVE_NO_SYMLINKS would save syscalls but not change what is checked.
/// </remarks>
internal sealed unsafe class SafeDirectory : IDisposable
{
    private const int DirectoryFlags = LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC;

    private int _fd;

    private SafeDirectory(int fd, string fullPath)
    {
        _fd = fd;
        FullPath = fullPath;
    }

    /// <summary>The directory's path, for messages (the handle, not this path, is what is used).</summary>
    public string FullPath { get; }

    /// <summary>The open descriptor (valid until disposed).</summary>
    public int Descriptor => _fd >= 0 ? _fd : throw new ObjectDisposedException(nameof(SafeDirectory));

    /// <summary>
    /// Opens a record root (the runs root, a task state root, the approval cache's directory): its
    /// parent is trusted as given, the root itself must not be a link. Creates it when asked.
    /// </summary>
    public static SafeDirectory OpenRecordRoot(string path, bool create)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        string parent = Path.GetDirectoryName(full) ?? full;
        return Open(parent, full, create);
    }

    /// <summary>
    /// Opens <paramref name="path"/>, which must lie beneath <paramref name="trustedRoot"/>: the root
    /// as given, each later component with O_NOFOLLOW (created with mkdirat when missing and
    /// <paramref name="create"/>). Null when a component is missing and not to be created.
    /// </summary>
    public static SafeDirectory? TryOpen(string trustedRoot, string path, bool create)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(trustedRoot));
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        string relative = Path.GetRelativePath(root, full);
        if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest, $"The path '{full}' is not beneath '{root}'.");
        }

        if (create && !Directory.Exists(root))
        {
            // The trusted part is created as given (as before): only what lies below it is verified.
            Directory.CreateDirectory(root);
        }

        int fd;
        using (var native = new NativeString(root))
        {
            do
            {
                fd = LibC.open(native.Pointer, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
            }
            while (fd < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR);
        }

        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.ENOENT && !create)
            {
                return null;
            }

            throw Io(root, "open the directory", errno);
        }

        var current = new SafeDirectory(fd, root);
        if (relative == ".")
        {
            return current;
        }

        foreach (string name in relative.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            using SafeDirectory parent = current;
            SafeDirectory? child = parent.TryOpenDirectory(name, create);
            if (child is null)
            {
                return null;
            }

            current = child;
        }

        return current;
    }

    /// <summary>As <see cref="TryOpen"/>, creating what is missing.</summary>
    public static SafeDirectory Open(string trustedRoot, string path, bool create) =>
        TryOpen(trustedRoot, path, create) ?? throw Io(Path.GetFullPath(path), "open the directory", LibC.ENOENT);

    /// <summary>A subdirectory, never through a link; created when missing and <paramref name="create"/>, else null when missing.</summary>
    public SafeDirectory? TryOpenDirectory(string name, bool create)
    {
        CheckName(name);
        string full = Path.Combine(FullPath, name);
        using var native = new NativeString(name);
        for (int attempt = 0; ; attempt++)
        {
            int fd = LibC.openat(Descriptor, native.Pointer, DirectoryFlags, 0);
            if (fd >= 0)
            {
                return new SafeDirectory(fd, full);
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.EINTR)
            {
                continue;
            }

            if (errno == LibC.ENOENT && create && attempt < 4)
            {
                // EEXIST is fine: another writer made it first; the open above checks what it is.
                if (LibC.mkdirat(Descriptor, native.Pointer, LibC.Mode0777) != 0 && Marshal.GetLastPInvokeError() is int mkdirError && mkdirError != LibC.EEXIST)
                {
                    throw Io(full, "create the directory", mkdirError);
                }

                continue;
            }

            if (errno == LibC.ENOENT)
            {
                return create ? throw Io(full, "open the directory", errno) : null;
            }

            if (errno is LibC.ELOOP or LibC.ENOTDIR)
            {
                throw Unexpected(full, TypeOf(name), "a directory");
            }

            throw Io(full, "open the directory", errno);
        }
    }

    /// <summary>A subdirectory (see <see cref="TryOpenDirectory"/>), created when missing.</summary>
    public SafeDirectory OpenDirectory(string name) => TryOpenDirectory(name, create: true)!;

    /// <summary>Makes a new subdirectory: true when this call made it, false when the name was taken.</summary>
    public bool TryMakeDirectory(string name)
    {
        CheckName(name);
        using var native = new NativeString(name);
        if (LibC.mkdirat(Descriptor, native.Pointer, LibC.Mode0777) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno == LibC.EEXIST ? false : throw Io(Path.Combine(FullPath, name), "create the directory", errno);
    }

    /// <summary>
    /// Opens a regular file in this directory: never through a link, never a FIFO, device, socket or
    /// directory (checked before the open, so a FIFO cannot block it, and again on the opened
    /// descriptor, so a swap in between cannot either). Returns -1 when the file does not exist and
    /// <paramref name="flags"/> has no O_CREAT. The caller owns the descriptor.
    /// </summary>
    public int OpenFile(string name, int flags, uint mode = LibC.Mode0666)
    {
        CheckName(name);
        string full = Path.Combine(FullPath, name);
        int? type = TypeOf(name);
        if (type is int existing && existing != LibC.S_IFREG)
        {
            throw Unexpected(full, type, "a regular file");
        }

        using var native = new NativeString(name);
        int fd;
        do
        {
            // O_NONBLOCK: should a FIFO take the name after the check, the open returns at once.
            fd = LibC.openat(Descriptor, native.Pointer, flags | LibC.O_NOFOLLOW | LibC.O_CLOEXEC | LibC.O_NONBLOCK | LibC.O_NOCTTY, mode);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR);

        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno switch
            {
                LibC.ENOENT when (flags & LibC.O_CREAT) == 0 => -1,
                LibC.ELOOP or LibC.ENXIO or LibC.EISDIR => throw Unexpected(full, TypeOf(name), "a regular file"),
                _ => throw Io(full, "open", errno),
            };
        }

        int opened = TypeOfDescriptor(fd);
        if (opened != LibC.S_IFREG)
        {
            LibC.close(fd);
            throw Unexpected(full, opened, "a regular file");
        }

        // Blocking again for the writers' loops (it means nothing to a regular file, but keeps the flags honest).
        int status = LibC.fcntl(fd, LibC.F_GETFL, 0);
        if (status >= 0)
        {
            LibC.fcntl(fd, LibC.F_SETFL, status & ~LibC.O_NONBLOCK);
        }

        return fd;
    }

    /// <summary>As <see cref="OpenFile"/>, as a handle for RandomAccess and FileStream.</summary>
    public SafeFileHandle OpenFileHandle(string name, int flags, uint mode = LibC.Mode0666)
    {
        int fd = OpenFile(name, flags, mode);
        return fd < 0 ? throw Io(Path.Combine(FullPath, name), "open", LibC.ENOENT) : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// Checks that <paramref name="name"/> is missing or a regular file (a write would replace a link
    /// silently; an error names the tampering instead).
    /// </summary>
    public void EnsureRegularOrMissing(string name)
    {
        int? type = TypeOf(name);
        if (type is int existing && existing != LibC.S_IFREG)
        {
            throw Unexpected(Path.Combine(FullPath, name), type, "a regular file");
        }
    }

    /// <summary>Swaps two names in this directory (renameat2 RENAME_EXCHANGE); the errno when it could not.</summary>
    public int TryExchange(string first, string second)
    {
        using var a = new NativeString(first);
        using var b = new NativeString(second);
        return LibC.renameat2(Descriptor, a.Pointer, Descriptor, b.Pointer, LibC.RENAME_EXCHANGE) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>Renames within this directory (renameat: a link at <paramref name="to"/> is replaced, never followed).</summary>
    public void Rename(string from, string to)
    {
        using var a = new NativeString(from);
        using var b = new NativeString(to);
        if (LibC.renameat(Descriptor, a.Pointer, Descriptor, b.Pointer) != 0)
        {
            throw Io(Path.Combine(FullPath, to), "rename onto", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Removes a name (a link itself, never its target); missing is fine.</summary>
    public void TryUnlink(string name)
    {
        using var native = new NativeString(name);
        LibC.unlinkat(Descriptor, native.Pointer, 0);
    }

    /// <summary>
    /// Creates <paramref name="name"/> holding <paramref name="bytes"/> of allocated space, to be
    /// unlinked when a full disk must still take a last write. Best effort: false when it could not.
    /// </summary>
    public bool TryReserve(string name, long bytes)
    {
        int fd;
        try
        {
            fd = OpenFile(name, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL, LibC.Mode0600);
        }
        catch (Exception ex) when (ex is IOException or OrchestratorException)
        {
            return false;
        }

        bool reserved = LibC.fallocate(fd, 0, 0, bytes) == 0;
        LibC.close(fd);
        if (!reserved)
        {
            TryUnlink(name);
        }

        return reserved;
    }

    /// <summary>fsync of the directory: makes a new name durable. Best effort.</summary>
    public void Sync() => LibC.fsync(Descriptor);

    /// <summary>Inode, size and modification time of a name in this directory (not following a link), or null when missing.</summary>
    public (ulong Inode, long Size, long ModifiedNs, int Type)? Identity(string name)
    {
        using var native = new NativeString(name);
        byte* buffer = stackalloc byte[256];
        if (LibC.statx(Descriptor, native.Pointer, LibC.AT_SYMLINK_NOFOLLOW, LibC.STATX_BASIC_STATS, buffer) != 0)
        {
            return null;
        }

        return (*(ulong*)(buffer + 32), *(long*)(buffer + 40), (*(long*)(buffer + 112) * 1_000_000_000) + *(uint*)(buffer + 120), *(ushort*)(buffer + 28) & LibC.S_IFMT);
    }

    /// <summary>The exception for an I/O failure on <paramref name="path"/>; the errno is its HResult.</summary>
    public static IOException Io(string path, string what, int errno) =>
        new($"Cannot {what} '{path}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);

    public void Dispose() => LibC.CloseIfOpen(ref _fd);

    private int? TypeOf(string name) => Identity(name)?.Type;

    private static int TypeOfDescriptor(int fd)
    {
        byte* buffer = stackalloc byte[256];
        byte empty = 0;
        return LibC.statx(fd, &empty, LibC.AT_EMPTY_PATH, LibC.STATX_BASIC_STATS, buffer) == 0
            ? *(ushort*)(buffer + 28) & LibC.S_IFMT
            : 0;
    }

    private static OrchestratorException Unexpected(string path, int? type, string expected)
    {
        string found = type switch
        {
            LibC.S_IFLNK => "a symbolic link",
            LibC.S_IFIFO => "a FIFO",
            LibC.S_IFDIR => "a directory",
            LibC.S_IFREG => "a regular file",
            null => "gone (replaced while it was opened)",
            _ => "a device or socket",
        };
        return new OrchestratorException(OrchestratorErrorCode.RunsRootNotWritable,
            $"Refusing to write '{path}': it is {found}, not {expected}. The orchestrator never follows links below the runs root or the task state root; something (a command?) put it there: remove it and run again.");
    }

    private static void CheckName(string name)
    {
        if (name.Length == 0 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest, $"'{name}' is not a single file name.");
        }
    }
}
