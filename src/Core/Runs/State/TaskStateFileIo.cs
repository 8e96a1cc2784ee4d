using System.Runtime.InteropServices;
using Orchestrator.Core.Native;

namespace Orchestrator.Core.Runs.State;

/// <summary>
/// The system calls behind the task state file, on a descriptor the store opened without following
/// a link: its size, positioned reads, a whole-line append that is cut back on failure, truncation
/// of a torn tail, and fsync. Interrupted calls are retried; failures name the file.
/// </summary>
internal static class TaskStateFileIo
{
    public static long Size(int fd, string path)
    {
        long size = TaskStateNative.lseek(fd, 0, TaskStateNative.SEEK_END);
        return size >= 0 ? size : throw Failure(path, "measure");
    }

    public static void Truncate(int fd, string path, long length)
    {
        while (TaskStateNative.ftruncate(fd, length) != 0)
        {
            if (Marshal.GetLastPInvokeError() != LibC.EINTR)
            {
                throw Failure(path, "truncate");
            }
        }
    }

    public static void Sync(int fd, string path)
    {
        while (TaskStateNative.fsync(fd) != 0)
        {
            if (Marshal.GetLastPInvokeError() != LibC.EINTR)
            {
                throw Failure(path, "fsync");
            }
        }
    }

    /// <summary>
    /// The whole line in one append (O_APPEND puts it at the end), under the same lock; a failure
    /// cuts the file back to <paramref name="end"/> so no partial line stays behind.
    /// </summary>
    public static void WriteWhole(int fd, string path, byte[] line, long end)
    {
        int errno = WholeLine.AppendOrCutBack(fd, line, end);
        if (errno != 0)
        {
            throw Failure(path, "append to", errno);
        }
    }

    public static unsafe int ReadAt(int fd, Span<byte> buffer, long offset)
    {
        fixed (byte* pointer = buffer)
        {
            while (true)
            {
                nint n = TaskStateNative.pread(fd, pointer, buffer.Length, offset);
                if (n >= 0)
                {
                    return (int)n;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != LibC.EINTR)
                {
                    throw new IOException($"Cannot read the task state file: {Marshal.GetPInvokeErrorMessage(errno)}");
                }
            }
        }
    }

    private static IOException Failure(string path, string what, int? errno = null)
    {
        int code = errno ?? Marshal.GetLastPInvokeError();
        return new IOException($"Cannot {what} '{path}': {Marshal.GetPInvokeErrorMessage(code)}");
    }
}
