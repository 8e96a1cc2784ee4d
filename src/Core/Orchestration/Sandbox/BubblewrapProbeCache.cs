using System.Text;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>
/// Remembers across processes that a bwrap could build a sandbox here, so a short-lived caller (one
/// CLI call per command) does not start two probe processes every time. Only success is remembered:
/// a stale or forged entry can at worst make a sandboxed command fail to start (closed), never make
/// a command run without its sandbox. An entry holds for <see cref="Lifetime"/> and only while
/// everything the answer depends on is unchanged: the bwrap file (path, size, modification time),
/// the boot, the user and mount namespaces this process runs in (so containers sharing a home do
/// not share answers), the kernel's user-namespace switches and this process's seccomp state.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // bubblewrap is Linux-only
internal static class BubblewrapProbeCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private const string FileName = "bwrap-probe";

    private static readonly string[] KernelSwitches =
    [
        "/proc/sys/kernel/random/boot_id",
        "/proc/sys/user/max_user_namespaces",
        "/proc/sys/kernel/unprivileged_userns_clone",
        "/proc/sys/kernel/apparmor_restrict_unprivileged_userns",
    ];

    /// <summary>
    /// The cache folder: <c>$XDG_CACHE_HOME/orchestrator</c>, else <c>$HOME/.cache/orchestrator</c>;
    /// null without either.
    /// </summary>
    public static string? Directory(Func<string, string?> environment)
    {
        if (environment("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "orchestrator");
        }

        return environment("HOME") is { Length: > 0 } home && Path.IsPathRooted(home)
            ? Path.Combine(home, ".cache", "orchestrator")
            : null;
    }

    /// <summary>What the answer for <paramref name="bwrapPath"/> depends on, as one line; null when it cannot be told.</summary>
    public static string? KeyFor(string bwrapPath)
    {
        try
        {
            var file = new FileInfo(bwrapPath);
            if (!file.Exists)
            {
                return null;
            }

            var key = new StringBuilder();
            key.Append(BubblewrapProbe.IsolationVersion).Append('|').Append(file.FullName).Append('|').Append(file.Length).Append('|').Append(file.LastWriteTimeUtc.Ticks);
            key.Append('|').Append(Environment.UserName);
            foreach (string ns in new[] { "/proc/self/ns/user", "/proc/self/ns/mnt" })
            {
                key.Append('|').Append(new FileInfo(ns).LinkTarget ?? "-");
            }

            foreach (string path in KernelSwitches)
            {
                key.Append('|').Append(File.Exists(path) ? File.ReadAllText(path).Trim() : "-");
            }

            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Seccomp:", StringComparison.Ordinal) || line.StartsWith("NoNewPrivs:", StringComparison.Ordinal))
                {
                    key.Append('|').Append(line.Replace('\t', ' '));
                }
            }

            return key.ToString().Replace('\n', ' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The bwrap version remembered for <paramref name="key"/>, or false when there is no live entry.</summary>
    public static bool TryRead(string directory, string key, DateTimeOffset now, out string? version)
    {
        version = null;
        string path = Path.Combine(directory, FileName);
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists || file.Length > 64 * 1024 || WritableByOthers(file.UnixFileMode) || WritableByOthers(File.GetUnixFileMode(directory)))
            {
                return false;
            }

            if (now - file.LastWriteTimeUtc > Lifetime || file.LastWriteTimeUtc > now.UtcDateTime.AddMinutes(1))
            {
                return false;
            }

            string[] lines = File.ReadAllLines(path);
            if (lines.Length != 3 || lines[0] != "available" || lines[1] != key)
            {
                return false;
            }

            version = lines[2].Length == 0 ? null : lines[2];
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Remembers that the probe succeeded; a cache that cannot be written is simply not used.</summary>
    public static void RememberAvailable(string directory, string key, string? version)
    {
        try
        {
            System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            string content = $"available\n{key}\n{(version ?? string.Empty).Replace('\n', ' ')}\n";
            AtomicFile.Write(Path.Combine(directory, FileName), Encoding.UTF8.GetBytes(content), durable: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The next process probes again.
        }
    }

    private static bool WritableByOthers(UnixFileMode mode) => (mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;
}
