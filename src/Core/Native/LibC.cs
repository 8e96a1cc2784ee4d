using System.Runtime.InteropServices;

namespace Orchestrator.Core.Native;

/// <summary>
/// The few libc entry points the Linux process runtime needs. Declared by hand (no native helper
/// library) so the package stays a set of managed DLLs; struct sizes are glibc/x86_64 and aarch64,
/// which share them. Opaque glibc structs are allocated larger than needed so a future glibc that
/// grows them cannot write past our buffer.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Lib = "libc";

    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int E2BIG = 7;
    public const int ENOEXEC = 8;
    public const int ECHILD = 10;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int ENOTDIR = 20;
    public const int EMFILE = 24;
    public const int ENOSYS = 38;

    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_RDWR = 2;
    public const int O_NOCTTY = 0x100;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;

    public const int F_DUPFD_CLOEXEC = 1030;
    public const int F_GETFL = 3;
    public const int F_SETFL = 4;
    public const int F_SETPIPE_SZ = 1031;

    public const short POLLIN = 0x1;
    public const short POLLERR = 0x8;
    public const short POLLHUP = 0x10;
    public const short POLLNVAL = 0x20;

    public const int WNOHANG = 1;

    public const short POSIX_SPAWN_SETPGROUP = 0x02;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;
    public const short POSIX_SPAWN_SETSID = 0x80;

    public const int SIGTERM = 15;
    public const int SIGKILL = 9;
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGWINCH = 28;
    public const int SIGCONT = 18;

    public const long SYS_pidfd_open = 434;

    /// <summary>glibc's posix_spawn_file_actions_t is 80 bytes; we allocate more to be safe.</summary>
    public const int FileActionsSize = 256;

    /// <summary>glibc's posix_spawnattr_t is 336 bytes; we allocate more to be safe.</summary>
    public const int SpawnAttrSize = 1024;

    /// <summary>glibc's sigset_t is 128 bytes.</summary>
    public const int SigSetSize = 128;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint read(int fd, byte* buf, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint write(int fd, byte* buf, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint nfds, int timeout);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int kill(int pid, int sig);

    /// <summary>The effective uid: root is not bound by RLIMIT_NPROC, so limits are chosen differently.</summary>
    [LibraryImport(Lib)]
    public static partial uint geteuid();

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int eventfd(uint initval, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial long syscall(long number, long arg1, long arg2);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int getpgid(int pid);

    [LibraryImport(Lib)]
    public static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_init(void* fileActions);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_destroy(void* fileActions);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newfd);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_addopen(void* fileActions, int fd, byte* path, int oflag, uint mode);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_addclose(void* fileActions, int fd);

    [LibraryImport(Lib)]
    public static partial int posix_spawn_file_actions_addchdir_np(void* fileActions, byte* path);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_init(void* attr);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_destroy(void* attr);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setflags(void* attr, short flags);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setpgroup(void* attr, int pgroup);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigmask(void* attr, void* sigmask);

    [LibraryImport(Lib)]
    public static partial int posix_spawnattr_setsigdefault(void* attr, void* sigdefault);

    [LibraryImport(Lib)]
    public static partial int sigemptyset(void* set);

    [LibraryImport(Lib)]
    public static partial int sigfillset(void* set);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int access(byte* path, int mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int mkdir(byte* path, uint mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint splice(int fdIn, long* offIn, int fdOut, long* offOut, nuint length, uint flags);

    [LibraryImport(Lib, EntryPoint = "open", SetLastError = true)]
    public static partial int open(byte* path, int flags, uint mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int flock(int fd, int operation);

    public const int O_CREAT = 0x40;

    // File modes for open/mkdir/mkfifo (the umask narrows them), as constants: these calls sit on
    // paths every run takes, where parsing an octal string each time is work for nothing.
    public const uint Mode0600 = 0b110_000_000;

    public const uint Mode0644 = 0b110_100_100;

    public const uint Mode0666 = 0b110_110_110;

    public const uint Mode0777 = 0b111_111_111;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int mkfifo(byte* path, uint mode);
    public const int LOCK_EX = 2;
    public const int LOCK_UN = 8;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int posix_openpt(int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int grantpt(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int unlockpt(int fd);

    [LibraryImport(Lib)]
    public static partial int ptsname_r(int fd, byte* buffer, nuint length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, void* argument);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int tcgetattr(int fd, void* termios);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int tcsetattr(int fd, int optionalActions, void* termios);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int tcgetpgrp(int fd);

    public const nuint TIOCSWINSZ = 0x5414;
    public const nuint TIOCGWINSZ = 0x5413;
    public const int TCSANOW = 0;
    public const int EIO = 5;

    /// <summary>glibc's struct termios is 60 bytes; we allocate more to be safe.</summary>
    public const int TermiosSize = 128;

    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int statx(int dirFd, byte* path, int flags, uint mask, byte* buffer);

    public const uint STATX_BASIC_STATS = 0x7ff;

    /// <summary>
    /// Identity and size of a file in one call: (inode, size, modification time in ns), or null when
    /// it does not exist. struct statx has the same layout on every architecture, unlike struct stat.
    /// </summary>
    public static (ulong Inode, long Size, long ModifiedNs)? FileIdentity(string path)
    {
        using var native = new NativeString(path);
        byte* buffer = stackalloc byte[256];
        if (statx(AT_FDCWD, native.Pointer, 0, STATX_BASIC_STATS, buffer) != 0)
        {
            return null;
        }

        ulong inode = *(ulong*)(buffer + 32);
        long size = *(long*)(buffer + 40);
        long seconds = *(long*)(buffer + 112);
        uint nanoseconds = *(uint*)(buffer + 120);
        return (inode, size, seconds * 1_000_000_000 + nanoseconds);
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial byte* realpath(byte* path, byte* resolved);

    [LibraryImport(Lib)]
    public static partial void free(void* pointer);

    /// <summary>The canonical absolute path (symlinks resolved in every component), or null when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        using var native = new NativeString(path);
        byte* resolved = realpath(native.Pointer, null);
        if (resolved == null)
        {
            return null;
        }

        try
        {
            return System.Runtime.InteropServices.Marshal.PtrToStringUTF8((nint)resolved);
        }
        finally
        {
            free(resolved);
        }
    }

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int renameat2(int oldDirFd, byte* oldPath, int newDirFd, byte* newPath, uint flags);

    public const int AT_FDCWD = -100;
    public const uint RENAME_EXCHANGE = 2;
    public const int EXDEV = 18;
    public const int EOPNOTSUPP = 95;

    public const uint SPLICE_F_MOVE = 1;
    public const uint SPLICE_F_NONBLOCK = 2;
    public const int EINVAL = 22;

    public const int EEXIST = 17;

    // What the no-follow writes of SafeDirectory need (values shared by x86_64 and aarch64).
    public const int ENXIO = 6;
    public const int ENOSPC = 28;
    public const int ELOOP = 40;
    public const int EISDIR = 21;
    public const int O_EXCL = 0x80;
    public const int O_APPEND = 0x400;
    public const int O_DIRECTORY = 0x10000;
    public const int O_NOFOLLOW = 0x20000;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int AT_EMPTY_PATH = 0x1000;

    /// <summary>The file type bits of stx_mode, and the types the writers tell apart.</summary>
    public const int S_IFMT = 0xF000;
    public const int S_IFREG = 0x8000;
    public const int S_IFDIR = 0x4000;
    public const int S_IFLNK = 0xA000;
    public const int S_IFIFO = 0x1000;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int openat(int dirFd, byte* path, int flags, uint mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int mkdirat(int dirFd, byte* path, uint mode);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int renameat(int oldDirFd, byte* oldPath, int newDirFd, byte* newPath);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int unlinkat(int dirFd, byte* path, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fsync(int fd);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ftruncate(int fd, long length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fallocate(int fd, int mode, long offset, long length);

    public const int X_OK = 1;

    public static bool WIfExited(int status) => (status & 0x7f) == 0;

    public static int WExitStatus(int status) => (status >> 8) & 0xff;

    public static bool WIfSignaled(int status) => (status & 0x7f) != 0 && (status & 0x7f) != 0x7f;

    public static int WTermSig(int status) => status & 0x7f;

    /// <summary>Closes a descriptor if it is open and marks it closed; EINTR on close must not be retried on Linux.</summary>
    public static void CloseIfOpen(ref int fd)
    {
        if (fd >= 0)
        {
            close(fd);
            fd = -1;
        }
    }

    /// <summary>Moves a descriptor to 3 or above so it can never collide with the child's 0/1/2 in dup2 actions.</summary>
    public static int EnsureAboveStdio(int fd)
    {
        if (fd > 2)
        {
            return fd;
        }

        int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        close(fd);
        return moved;
    }
}
