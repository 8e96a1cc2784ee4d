using System.Runtime.InteropServices;
using Orchestrator.Core.Native;

namespace Orchestrator.Core.Exec;

/// <summary>
/// Starts a child with glibc posix_spawn (vfork-style, no managed code ever runs in the child) in a
/// new process group, or a new session for a terminal, with every signal disposition reset to its
/// default and an empty signal mask: .NET ignores SIGPIPE, and an ignored signal survives exec, so
/// without this a child pipeline like <c>yes | head</c> would never end.
/// </summary>
internal static unsafe class PosixSpawner
{
    /// <summary>Returns the pid, or 0 with <paramref name="error"/> set to the errno posix_spawn reported.</summary>
    public static int Spawn(ProcessLaunch launch, SpawnStdio stdio, bool newSession, out int error)
    {
        byte* actions = stackalloc byte[LibC.FileActionsSize];
        byte* attr = stackalloc byte[LibC.SpawnAttrSize];
        byte* emptyMask = stackalloc byte[LibC.SigSetSize];
        byte* allSignals = stackalloc byte[LibC.SigSetSize];

        using var path = new NativeString(launch.ExecutablePath);
        using var cwd = new NativeString(launch.WorkingDirectory);
        using var devNull = new NativeString("/dev/null");
        using var terminal = stdio.TerminalPath is null ? null : new NativeString(stdio.TerminalPath);
        using var argv = new NativeStringArray(launch.Argv);
        using var envp = new NativeStringArray(launch.Environment);

        LibC.posix_spawn_file_actions_init(actions);
        LibC.posix_spawnattr_init(attr);
        try
        {
            if (terminal is not null)
            {
                // setsid() runs before the file actions, so opening the slave without O_NOCTTY
                // makes it the controlling terminal of the new session.
                Check(LibC.posix_spawn_file_actions_addopen(actions, 0, terminal.Pointer, LibC.O_RDWR, 0));
                Check(LibC.posix_spawn_file_actions_adddup2(actions, 0, 1));
                Check(LibC.posix_spawn_file_actions_adddup2(actions, 0, 2));
            }
            else
            {
                if (stdio.StdinFd >= 0)
                {
                    Check(LibC.posix_spawn_file_actions_adddup2(actions, stdio.StdinFd, 0));
                }
                else
                {
                    Check(LibC.posix_spawn_file_actions_addopen(actions, 0, devNull.Pointer, LibC.O_RDONLY, 0));
                }

                Check(LibC.posix_spawn_file_actions_adddup2(actions, stdio.StdoutFd, 1));
                Check(LibC.posix_spawn_file_actions_adddup2(actions, stdio.StderrFd, 2));
            }

            if (stdio.ScriptFd >= 0)
            {
                Check(LibC.posix_spawn_file_actions_adddup2(actions, stdio.ScriptFd, 3));
            }

            Check(LibC.posix_spawn_file_actions_addchdir_np(actions, cwd.Pointer));

            LibC.sigemptyset(emptyMask);
            LibC.sigfillset(allSignals);
            short flags = (short)(LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF |
                                  (newSession ? LibC.POSIX_SPAWN_SETSID : LibC.POSIX_SPAWN_SETPGROUP));
            Check(LibC.posix_spawnattr_setflags(attr, flags));
            Check(LibC.posix_spawnattr_setsigmask(attr, emptyMask));
            Check(LibC.posix_spawnattr_setsigdefault(attr, allSignals));
            if (!newSession)
            {
                Check(LibC.posix_spawnattr_setpgroup(attr, 0));
            }

            int pid;
            error = LibC.posix_spawn(&pid, path.Pointer, actions, attr, argv.Pointer, envp.Pointer);
            return error == 0 ? pid : 0;
        }
        finally
        {
            LibC.posix_spawnattr_destroy(attr);
            LibC.posix_spawn_file_actions_destroy(actions);
        }
    }

    private static void Check(int result)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"posix_spawn setup failed with error {result} ({Marshal.GetPInvokeErrorMessage(result)}).");
        }
    }
}
