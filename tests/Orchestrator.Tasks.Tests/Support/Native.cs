using System.Runtime.InteropServices;

namespace Orchestrator.Tasks.Tests.Support;

/// <summary>Sends a signal the way a terminal's Ctrl+C does.</summary>
internal static partial class Native
{
    public const int SIGINT = 2;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
