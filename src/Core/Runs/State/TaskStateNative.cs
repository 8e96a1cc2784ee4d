using System.Runtime.InteropServices;

namespace Orchestrator.Core.Runs.State;

/// <summary>
/// The libc calls the state store needs beyond <see cref="Native.LibC"/>: positioned reads, size,
/// truncation and fsync on a descriptor opened with O_APPEND (FileStream's Append mode is not
/// O_APPEND on Unix, and FileStream takes flock locks of its own).
/// </summary>
internal static unsafe partial class TaskStateNative
{
    private const string Lib = "libc";

    /// <summary>Same value on x86_64 and aarch64.</summary>
    public const int O_APPEND = 0x400;

    public const int SEEK_END = 2;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint pread(int fd, byte* buffer, nint count, long offset);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial long lseek(int fd, long offset, int whence);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ftruncate(int fd, long length);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fsync(int fd);
}
