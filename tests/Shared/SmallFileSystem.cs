using System.Diagnostics;

namespace Orchestrator.Tests.Shared;

/// <summary>
/// A real, small, full-able file system: a tmpfs of a given size mounted on a directory inside a
/// test's temp folder (CI runs as root). Where mounting is not permitted (not root) the test is
/// inconclusive, never silently passed. Dispose unmounts (lazily if still busy) so no mount outlives the test.
/// </summary>
public sealed class SmallFileSystem : IDisposable
{
    private SmallFileSystem(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="sizeKiB"/> KiB on <paramref name="directory"/> (created if needed).</summary>
    public static SmallFileSystem Mount(string directory, int sizeKiB)
    {
        Directory.CreateDirectory(directory);
        (int exitCode, string error) = Run("mount", "-t", "tmpfs", "-o", $"size={sizeKiB}k", "tmpfs", directory);
        if (exitCode != 0)
        {
            Assert.Inconclusive($"This test needs a small full-able file system and could not mount a tmpfs (it needs root): {error.Trim()}");
        }

        return new SmallFileSystem(directory);
    }

    /// <summary>Fills the file system with a file until it refuses more bytes.</summary>
    public void Fill(string name = "filler")
    {
        using var stream = new FileStream(System.IO.Path.Combine(Path, name), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        byte[] block = new byte[4096];
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
            // Full.
        }
    }

    public void Dispose()
    {
        if (Run("umount", Path).ExitCode != 0)
        {
            Run("umount", "-l", Path);
        }
    }

    private static (int ExitCode, string Error) Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(info)!;
            string error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
