using System.Runtime.InteropServices;

namespace Orchestrator.Bench;

/// <summary>
/// Evens out a virtual-machine artifact: a guest hands memory it freed back to the host after a
/// few idle seconds, and the next gigabyte of page cache then faults in at a fraction of normal
/// speed. Seen here as runs of the same command taking 0.8 s or 5 s depending on how long the
/// machine idled before. Touching (and freeing) a few GiB just before each measurement gives both
/// sides of a comparison the same warm memory, so the figure is about the code and not the host.
/// </summary>
public static unsafe class GuestMemory
{
    public static void Settle(long bytes = 3L << 30)
    {
        Shell.Run("sync", []);
        byte* block = (byte*)NativeMemory.Alloc((nuint)bytes);
        try
        {
            for (long offset = 0; offset < bytes; offset += 4096)
            {
                block[offset] = 1;
            }
        }
        finally
        {
            NativeMemory.Free(block);
        }
    }
}
