using System.Collections.Immutable;

namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>
/// Wraps a process launch in bubblewrap: the whole file system read-only, a private /tmp and
/// /dev, the workspace and the configured roots writable in workspace-write, .git and the runs
/// root read-only even then (a command must not rewrite its own record), no network unless
/// allowed, and the sandbox dies with the orchestrator. No PID or session namespace, so the
/// command stays in the process group the runtime created and timeout/cancel still end its tree.
/// </summary>
public static class BubblewrapCommand
{
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
        args.AddRange("--ro-bind", "/", "/", "--dev", "/dev", "--tmpfs", "/tmp");
        if (devices?.Any() == true)
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
        args.AddRange("--chdir", workingDirectory);
        args.Add("--");
        return args.ToImmutable();
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
