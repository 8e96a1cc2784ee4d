using System.Diagnostics;

namespace Orchestrator.Core.Exec;

/// <summary>The process runtime for commands a sandbox session starts (see <see cref="Orchestration.Sandbox.SandboxSession"/>).</summary>
internal static class SessionProcessRunner
{
    /// <summary>
    /// Runs a command through a sandbox session: the host inside the sandbox starts it with two
    /// FIFOs (made here, read here) as stdout and stderr and reports its exit; reading, timeout and
    /// TERM-then-KILL of its process group work exactly as for a child of ours. Returns null when
    /// the session ended before the command started, so the caller can start it another way.
    /// </summary>
    internal static async Task<ProcessOutcome?> RunInSessionAsync(
        Orchestration.Sandbox.SandboxSession session,
        ProcessLaunch launch,
        IProcessOutputObserver observer,
        ProcessLimits limits,
        Action<int>? onStarted,
        CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        if (!Directory.Exists(launch.WorkingDirectory))
        {
            return ProcessRunner.Failed(StartFailureKind.WorkingDirectoryNotFound, $"The working directory '{launch.WorkingDirectory}' does not exist.", Native.LibC.ENOENT, started);
        }

        string stem = Path.Combine(session.FifoDirectory, Guid.NewGuid().ToString("N"));
        string outPath = stem + ".out";
        string errPath = stem + ".err";
        int outFd = Fifo.OpenReader(outPath);
        int errFd = Fifo.OpenReader(errPath);
        var exit = new Orchestration.Sandbox.SessionExitSource();
        Orchestration.Sandbox.SessionSpawn spawn;
        try
        {
            spawn = await session.SpawnAsync(launch, outPath, errPath, exit).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(outPath);
            File.Delete(errPath);
        }

        if (spawn.Pid <= 0)
        {
            exit.Dispose();
            Native.LibC.CloseIfOpen(ref outFd);
            Native.LibC.CloseIfOpen(ref errFd);
            if (spawn.Errno == 0 && !session.IsAlive)
            {
                return null;
            }

            return spawn.Errno != 0
                ? ProcessRunner.DescribeSpawnFailure(launch, spawn.Errno, started)
                : ProcessRunner.Failed(StartFailureKind.SpawnFailed, $"The sandbox session could not start '{launch.ExecutablePath}': {spawn.Error}", null, started);
        }

        var streams = new[]
        {
            new ProcessRunner.PolledStream(outFd, OutputStreamKind.Stdout),
            new ProcessRunner.PolledStream(errFd, OutputStreamKind.Stderr),
        };
        var loop = new ProcessRunner.ProcessIoLoop(spawn.Pid, streams, exit, observer, limits, started);
        onStarted?.Invoke(spawn.Pid);
        return await loop.StartAsync(cancellationToken).ConfigureAwait(false);
    }
}
