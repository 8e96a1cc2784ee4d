namespace Orchestrator.Core.Exec;

/// <summary>
/// How the child's fd 0/1/2 are wired: descriptors to dup2 into place (-1 for stdin means /dev/null),
/// or a PTY slave path opened onto fd 0 and duplicated to 1 and 2. <see cref="ScriptFd"/>, when set,
/// becomes the child's fd 3 (a session shell reads its commands from it, away from the terminal).
/// </summary>
internal readonly record struct SpawnStdio(int StdinFd, int StdoutFd, int StderrFd, string? TerminalPath, int ScriptFd = -1)
{
    public static SpawnStdio Pipes(int stdinFd, int stdoutFd, int stderrFd) => new(stdinFd, stdoutFd, stderrFd, null);

    public static SpawnStdio Terminal(string slavePath, int scriptFd = -1) => new(-1, -1, -1, slavePath, scriptFd);
}
