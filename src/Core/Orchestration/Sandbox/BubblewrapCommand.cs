using System.Collections.Immutable;

namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>
/// Wraps a process launch in bubblewrap. The command gets user, PID, IPC, UTS and cgroup
/// namespaces of its own with every capability dropped (as root too), a fresh /proc showing only
/// its own processes with /proc/sys read-only, a private /tmp, /dev and /run (the host's sockets
/// stay out of reach), and the whole file system read-only except, in workspace-write, the
/// workspace and the configured roots; the records, the policy files it runs under and .git stay
/// read-only even then. It has no network unless allowed and it dies with the orchestrator. Its
/// PID namespace ends every process it started when it ends (bwrap's init is PID 1 there), so a
/// daemonised child cannot outlive the command.
/// </summary>
public static class BubblewrapCommand
{
    /// <summary>bwrap's own ceiling on its argument count (it exits 1 above it).</summary>
    public const int MaxArguments = 9000;

    /// <summary>
    /// The isolation every sandbox gets, whatever its mode: own namespaces, no capabilities, a
    /// read-only host with a fresh /proc, private /tmp and /run. The probe asks bwrap for exactly
    /// these, so "available" means this sandbox can be built here.
    /// </summary>
    /// <remarks>
    /// A fresh proc mounted by root in a user namespace still lets kuid 0 write the host's global
    /// sysctls, so the host's /proc/sys is bound over it read-only; /run holds the host's sockets.
    /// </remarks>
    public static ImmutableArray<string> Isolation { get; } =
    [
        "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--cap-drop", "ALL",
        "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--ro-bind", "/proc/sys", "/proc/sys",
        "--tmpfs", "/tmp", "--tmpfs", "/run",
    ];

    /// <summary>The bwrap argv (program and options, ending with <c>--</c>), before the command's own argv.</summary>
    public static ImmutableArray<string> Arguments(
        string bubblewrapPath,
        SandboxSettings settings,
        string workspaceRoot,
        string workingDirectory,
        IEnumerable<string> protectedPaths,
        IEnumerable<string>? readablePaths = null,
        IEnumerable<string>? devices = null)
    {
        var args = ImmutableArray.CreateBuilder<string>();
        args.Add(bubblewrapPath);
        args.AddRange(Isolation);
        if (settings.NetworkAccess && ResolverUnderRun() is string resolver)
        {
            // /etc/resolv.conf often points into /run (systemd-resolved): keep name resolution working.
            args.AddRange("--ro-bind", resolver, resolver);
        }

        bool terminal = devices?.Any() == true;
        if (terminal)
        {
            // A command on a PTY: its /dev/pts/N must exist inside so ttyname() and programs opening
            // their terminal by name find it, and a file cannot be bound into the sandbox's fresh
            // devpts. The host's devpts is bound instead (what the command would see unsandboxed).
            args.AddRange("--dev-bind", "/dev/pts", "/dev/pts");
        }

        foreach (string path in Existing(readablePaths ?? []).Distinct(StringComparer.Ordinal))
        {
            args.AddRange("--ro-bind", path, path);
        }

        if (settings.Mode == SandboxMode.ReadOnly)
        {
            // Visible but not writable; bound explicitly because a workspace under /tmp would
            // otherwise vanish beneath the private /tmp.
            foreach (string path in Existing([workspaceRoot, workingDirectory]).Distinct(StringComparer.Ordinal))
            {
                args.AddRange("--ro-bind", path, path);
            }
        }

        if (settings.Mode == SandboxMode.WorkspaceWrite)
        {
            var writable = new List<string> { workspaceRoot };
            writable.AddRange(settings.WritableRoots);
            foreach (string root in Existing(writable).OrderBy(p => p.Length).ThenBy(p => p, StringComparer.Ordinal))
            {
                args.AddRange("--bind", root, root);
            }

            var readOnly = new List<string>();
            if (settings.ProtectGit)
            {
                readOnly.Add(Path.Combine(workspaceRoot, ".git"));
            }

            readOnly.AddRange(protectedPaths);
            foreach (string path in Existing(readOnly).Distinct(StringComparer.Ordinal))
            {
                args.AddRange("--ro-bind", path, path);
            }
        }

        if (!settings.NetworkAccess)
        {
            args.Add("--unshare-net");
        }

        args.Add("--die-with-parent");
        if (terminal)
        {
            // bwrap's init would hold the terminal's foreground process group outside the PID
            // namespace, where a job-control shell cannot take it back: the command is PID 1
            // itself (its end still ends every process of the namespace).
            args.Add("--as-pid-1");
        }
        else
        {
            // Without a terminal to keep, a new session stops TIOCSTI from typing into the caller's.
            args.Add("--new-session");
        }

        args.AddRange("--chdir", workingDirectory);
        args.Add("--");
        return args.ToImmutable();
    }

    private static string? ResolverUnderRun()
    {
        string? target = Native.LibC.RealPath("/etc/resolv.conf");
        return target is not null && target.StartsWith("/run/", StringComparison.Ordinal) ? target : null;
    }

    /// <summary>
    /// The real paths of those that exist: a bind applies to what a path resolves to, so a
    /// symlinked workspace must be bound at its target to be writable through either name.
    /// </summary>
    private static IEnumerable<string> Existing(IEnumerable<string> paths)
    {
        foreach (string path in paths)
        {
            if (Native.LibC.RealPath(Path.GetFullPath(path)) is string real)
            {
                yield return real;
            }
        }
    }
}
