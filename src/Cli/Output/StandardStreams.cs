using Microsoft.Win32.SafeHandles;

namespace Orchestrator.Cli.Output;

/// <summary>
/// stdout and stderr as plain unbuffered file streams. Console.OpenStandardOutput() swallows EPIPE on
/// Unix, so a reader that went away would go unnoticed; these report it as an IOException.
/// </summary>
internal static class StandardStreams
{
    public static Stream OpenStdout() => new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);

    public static Stream OpenStderr() => new FileStream(new SafeFileHandle(2, ownsHandle: false), FileAccess.Write, bufferSize: 0);
}
