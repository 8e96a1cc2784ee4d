using System.Text;

namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>
/// Shares sandbox sessions among the commands of this process that need the same sandbox (same
/// bwrap, mode, network, writable and protected paths, workspace). The first such command runs in
/// a sandbox of its own, as one-off commands always do; the second starts a session in the
/// background (the host needs ~100 ms to start) and still runs on its own; later commands share
/// the session once it is up, so no command ever waits for it. A session is dropped when idle for a minute, when its host has died, or
/// when the workspace directory it bound was replaced (a CI job that deletes and re-clones its
/// checkout must not keep writing into the old one). ORCHESTRATOR_SANDBOX_SESSIONS=0 turns sharing off.
/// </summary>
internal static class SandboxSessionPool
{
    public const string DisableVariable = "ORCHESTRATOR_SANDBOX_SESSIONS";

    private static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(60);
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Entry> Entries = new(StringComparer.Ordinal);
    private static Timer? _sweeper;

    /// <summary>A live session for this sandbox, or null: run the command in a sandbox of its own.</summary>
    public static SandboxSession? Acquire(SandboxLaunch launch, string workspaceRoot)
    {
        if (Environment.GetEnvironmentVariable(DisableVariable) == "0")
        {
            return null;
        }

        string key = Key(launch, workspaceRoot);
        Entry entry;
        lock (Gate)
        {
            if (!Entries.TryGetValue(key, out entry!))
            {
                entry = new Entry();
                Entries[key] = entry;
            }

            _sweeper ??= new Timer(static _ => Sweep(), null, IdleLimit, IdleLimit);
        }

        lock (entry)
        {
            entry.LastUsed = DateTime.UtcNow;
            var identity = Native.LibC.FileIdentity(workspaceRoot)?.Inode;
            if (entry.Session is { IsAlive: true } session && entry.WorkspaceInode == identity)
            {
                return session;
            }

            if (entry.Starting)
            {
                return null;
            }

            entry.Session?.Dispose();
            entry.Session = null;
            entry.Uses++;
            if (entry.Uses < 2 || entry.Failed)
            {
                return null;
            }

            entry.Starting = true;
            _ = Task.Run(() => Start(entry, launch, workspaceRoot, identity));
            return null;
        }
    }

    private static void Start(Entry entry, SandboxLaunch launch, string workspaceRoot, ulong? identity)
    {
        var session = SandboxSession.TryStart(launch, workspaceRoot, out string? failure);
        lock (entry)
        {
            entry.Session = session;
            entry.Failed = session is null;
            entry.Failure = failure;
            entry.WorkspaceInode = identity;
            entry.Starting = false;
        }
    }

    private static void Sweep()
    {
        lock (Gate)
        {
            foreach (var (key, entry) in Entries.ToList())
            {
                lock (entry)
                {
                    if (DateTime.UtcNow - entry.LastUsed > IdleLimit)
                    {
                        entry.Session?.Dispose();
                        Entries.Remove(key);
                    }
                }
            }
        }
    }

    private static string Key(SandboxLaunch launch, string workspaceRoot)
    {
        var key = new StringBuilder();
        key.Append(launch.BubblewrapPath).Append('\0').Append(launch.Settings.Mode).Append('\0').Append(launch.Settings.NetworkAccess)
            .Append('\0').Append(launch.Settings.ProtectGit).Append('\0').Append(workspaceRoot);
        foreach (string root in launch.Settings.WritableRoots.Order(StringComparer.Ordinal))
        {
            key.Append("\0w:").Append(root);
        }

        foreach (string path in launch.ProtectedPaths.Order(StringComparer.Ordinal))
        {
            key.Append("\0p:").Append(path);
        }

        return key.ToString();
    }

    private sealed class Entry
    {
        public SandboxSession? Session { get; set; }

        public bool Starting { get; set; }

        public int Uses { get; set; }

        public bool Failed { get; set; }

        public string? Failure { get; set; }

        public ulong? WorkspaceInode { get; set; }

        public DateTime LastUsed { get; set; }
    }
}
