using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Orchestrator.Core.Native;

namespace Orchestrator.Core.Instructions;

/// <summary>
/// Examines and reads candidate instruction files without ever blocking or reading unbounded data.
/// Managed APIs cannot tell a FIFO or device from a file, and opening a FIFO for reading blocks
/// until a writer appears, so the type is checked with statx (same layout on every architecture)
/// before opening, the open itself is non-blocking, and the open descriptor is checked again
/// because the name may be swapped between the two calls.
/// </summary>
internal static unsafe class InstructionFile
{
    private const int ELOOP = 40;
    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const int AT_EMPTY_PATH = 0x1000;
    private const uint STATX_TYPE = 0x1;
    private const uint STATX_SIZE = 0x200;
    private const int StatxModeOffset = 28;
    private const int StatxSizeOffset = 40;
    private const int StatxBufferSize = 256;

    private const int S_IFMT = 0xF000;
    private const int S_IFSOCK = 0xC000;
    private const int S_IFLNK = 0xA000;
    private const int S_IFREG = 0x8000;
    private const int S_IFBLK = 0x6000;
    private const int S_IFDIR = 0x4000;
    private const int S_IFCHR = 0x2000;
    private const int S_IFIFO = 0x1000;

    /// <summary>What is at <paramref name="path"/>, following symlinks.</summary>
    public static InstructionFileProbe Probe(string path)
    {
        using var native = new NativeString(path);
        byte* buffer = stackalloc byte[StatxBufferSize];
        if (LibC.statx(LibC.AT_FDCWD, native.Pointer, 0, STATX_TYPE | STATX_SIZE, buffer) == 0)
        {
            int type = *(ushort*)(buffer + StatxModeOffset) & S_IFMT;
            return type == S_IFREG
                ? InstructionFileProbe.Regular(*(long*)(buffer + StatxSizeOffset))
                : InstructionFileProbe.Unusable(NotRegular(type));
        }

        int error = Marshal.GetLastPInvokeError();
        switch (error)
        {
            case LibC.ENOENT:
                // Following the name found nothing; the name itself may still be a symlink whose
                // target is missing, which is worth a warning rather than silence.
                return LibC.statx(LibC.AT_FDCWD, native.Pointer, AT_SYMLINK_NOFOLLOW, STATX_TYPE, buffer) == 0
                    ? InstructionFileProbe.Unusable("it is a symbolic link to a file that does not exist")
                    : InstructionFileProbe.Absent;
            case LibC.ENOTDIR:
                // A path component is a file (e.g. `.github` is not a directory): nothing can be here.
                return InstructionFileProbe.Absent;
            case ELOOP:
                return InstructionFileProbe.Unusable("it is a symbolic link loop (too many levels of symbolic links)");
            case LibC.EACCES:
                return InstructionFileProbe.Unusable("it cannot be examined: permission denied");
            default:
                return InstructionFileProbe.Unusable("it cannot be examined: " + Marshal.GetPInvokeErrorMessage(error));
        }
    }

    /// <summary>
    /// Reads at most <paramref name="limit"/> bytes from the start of the regular file at
    /// <paramref name="path"/> (fewer when it ends first). Returns why it could not, or null.
    /// </summary>
    public static string? TryRead(string path, int limit, long sizeHint, out byte[] data, out int count)
    {
        data = [];
        count = 0;
        int fd;
        using (var native = new NativeString(path))
        {
            // O_NONBLOCK: if a FIFO was swapped in after Probe, the open returns at once instead of
            // waiting for a writer. It has no effect on reads from a regular file.
            fd = LibC.open(native.Pointer, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC | LibC.O_NOCTTY, 0);
        }

        if (fd < 0)
        {
            int error = Marshal.GetLastPInvokeError();
            return error switch
            {
                LibC.EACCES => "it cannot be read: permission denied",
                ELOOP => "it is a symbolic link loop (too many levels of symbolic links)",
                _ => "it cannot be opened: " + Marshal.GetPInvokeErrorMessage(error),
            };
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        string? notRegular = CheckRegular(fd);
        if (notRegular is not null)
        {
            return notRegular;
        }

        try
        {
            // bufferSize 0: every Read is one read(2) of at most what we ask for, so the limit is
            // the most that is ever read from the file.
            using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            data = new byte[(int)Math.Clamp(sizeHint + 1, 1, limit)];
            while (count < limit)
            {
                if (count == data.Length)
                {
                    Array.Resize(ref data, (int)Math.Min(limit, (long)data.Length * 2));
                }

                int read = stream.Read(data, count, data.Length - count);
                if (read == 0)
                {
                    break;
                }

                count += read;
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            data = [];
            count = 0;
            return "it cannot be read: " + ex.Message;
        }
    }

    private static string? CheckRegular(int fd)
    {
        using var empty = new NativeString(string.Empty);
        byte* buffer = stackalloc byte[StatxBufferSize];
        if (LibC.statx(fd, empty.Pointer, AT_EMPTY_PATH, STATX_TYPE, buffer) != 0)
        {
            return "it cannot be examined: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
        }

        int type = *(ushort*)(buffer + StatxModeOffset) & S_IFMT;
        return type == S_IFREG ? null : NotRegular(type);
    }

    private static string NotRegular(int type) => type switch
    {
        S_IFDIR => "it is a directory, not a regular file",
        S_IFIFO => "it is a named pipe (FIFO), not a regular file",
        S_IFSOCK => "it is a socket, not a regular file",
        S_IFCHR => "it is a character device, not a regular file",
        S_IFBLK => "it is a block device, not a regular file",
        S_IFLNK => "it is a symbolic link that could not be followed",
        _ => "it is not a regular file",
    };
}
