using System.Runtime.InteropServices;

namespace Orchestrator.Core.Native;

/// <summary>How every JSONL record file (events, task state) gets a line: whole, or not at all.</summary>
internal static unsafe class WholeLine
{
    /// <summary>
    /// Writes all of <paramref name="line"/> (a short write or EINTR goes on with the rest). On a
    /// failure the file is cut back to <paramref name="end"/>, its length before the line, so no
    /// partial line stays behind: shrinking needs no new blocks, so this works on a full disk too.
    /// </summary>
    /// <returns>0 when the line was written, else the errno of the failed write.</returns>
    public static int AppendOrCutBack(int fd, ReadOnlySpan<byte> line, long end)
    {
        fixed (byte* start = line)
        {
            int done = 0;
            while (done < line.Length)
            {
                nint n = LibC.write(fd, start + done, line.Length - done);
                if (n > 0)
                {
                    done += (int)n;
                    continue;
                }

                int errno = n < 0 ? Marshal.GetLastPInvokeError() : LibC.ENOSPC;
                if (n < 0 && errno == LibC.EINTR)
                {
                    continue;
                }

                LibC.ftruncate(fd, end);
                return errno;
            }
        }

        return 0;
    }
}
