using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Orchestrator.Core.Native;

namespace Orchestrator.Core.Exec;

/// <summary>
/// The Linux pipe-mode process runtime: posix_spawn into a new process group, then one I/O thread
/// per process that polls stdout, stderr, a pidfd (exit) and an eventfd (cancellation), so reading,
/// exit detection, timeout, TERM-then-KILL of the whole group and the bounded drain after exit all
/// happen in one place without blocking thread-pool threads.
/// </summary>
public static unsafe class ProcessRunner
{
    /// <summary>Bytes asked of one read(); large reads keep syscall overhead small at GB/s rates.</summary>
    private const int ReadBufferSize = 256 * 1024;

    /// <summary>Pipe capacity requested for stdout/stderr (best effort; bounded by /proc/sys/fs/pipe-max-size).</summary>
    internal const int PipeCapacity = 1024 * 1024;

    /// <summary>Bytes asked of one splice(): a full pipe.</summary>
    private const nuint SpliceChunk = PipeCapacity;

    /// <summary>
    /// Starts the process and completes when it has exited and its output has been drained (or the
    /// drain timeout passed). <paramref name="onStarted"/> runs with the pid before any output is
    /// delivered. Start failures are returned in <see cref="ProcessOutcome.StartError"/>.
    /// </summary>
    public static Task<ProcessOutcome> RunAsync(
        ProcessLaunch launch,
        IProcessOutputObserver observer,
        ProcessLimits limits,
        Action<int>? onStarted,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(limits);

        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException($"The Orchestrator process runtime supports Linux only (this is {RuntimeInformation.OSDescription}).");
        }

        long started = Stopwatch.GetTimestamp();
        if (!Directory.Exists(launch.WorkingDirectory))
        {
            return Task.FromResult(Failed(StartFailureKind.WorkingDirectoryNotFound,
                $"The working directory '{launch.WorkingDirectory}' does not exist.", LibC.ENOENT, started));
        }

        int* outPipe = stackalloc int[2] { -1, -1 };
        int* errPipe = stackalloc int[2] { -1, -1 };
        if (!CreatePipe(outPipe) || !CreatePipe(errPipe))
        {
            int errno = Marshal.GetLastPInvokeError();
            CloseAll(outPipe, errPipe);
            return Task.FromResult(Failed(StartFailureKind.SpawnFailed,
                $"Could not create output pipes: {Marshal.GetPInvokeErrorMessage(errno)}.", errno, started));
        }

        int pid = PosixSpawner.Spawn(launch, SpawnStdio.Pipes(-1, outPipe[1], errPipe[1]), newSession: false, out int spawnError);
        LibC.CloseIfOpen(ref outPipe[1]);
        LibC.CloseIfOpen(ref errPipe[1]);
        if (pid <= 0)
        {
            CloseAll(outPipe, errPipe);
            return Task.FromResult(DescribeSpawnFailure(launch, spawnError, started));
        }

        var streams = new[]
        {
            new PolledStream(outPipe[0], OutputStreamKind.Stdout),
            new PolledStream(errPipe[0], OutputStreamKind.Stderr),
        };

        var loop = new ProcessIoLoop(pid, streams, new ChildExitSource(pid), observer, limits, started);
        try
        {
            onStarted?.Invoke(pid);
        }
        catch
        {
            // The caller could not record the start; do not leave an unobserved child behind.
            loop.KillNow();
            loop.RunToCompletion();
            throw;
        }

        return loop.StartAsync(cancellationToken);
    }

    /// <summary>
    /// Runs a process on a pseudo-terminal: started in a new session with the terminal's slave as
    /// its controlling terminal on fd 0, 1 and 2; the merged output is read from the master as the
    /// <see cref="OutputStreamKind.Pty"/> stream. Timeout, cancellation and the drain after exit
    /// work as with pipes; the terminal stays usable (writes, resize) while the process runs.
    /// </summary>
    public static Task<ProcessOutcome> RunInTerminalAsync(
        ProcessLaunch launch,
        PseudoTerminal terminal,
        IProcessOutputObserver observer,
        ProcessLimits limits,
        Action<int>? onStarted,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        long started = Stopwatch.GetTimestamp();
        if (!Directory.Exists(launch.WorkingDirectory))
        {
            return Task.FromResult(Failed(StartFailureKind.WorkingDirectoryNotFound,
                $"The working directory '{launch.WorkingDirectory}' does not exist.", LibC.ENOENT, started));
        }

        // The loop reads (and closes) its own descriptor; the terminal keeps the master for writes and resizes.
        int reader = LibC.fcntl(terminal.MasterFd, LibC.F_DUPFD_CLOEXEC, 3);
        int pid = PosixSpawner.Spawn(launch, SpawnStdio.Terminal(terminal.SlavePath), newSession: true, out int spawnError);
        if (pid <= 0)
        {
            LibC.CloseIfOpen(ref reader);
            return Task.FromResult(DescribeSpawnFailure(launch, spawnError, started));
        }

        var loop = new ProcessIoLoop(pid, [new PolledStream(reader, OutputStreamKind.Pty)], new ChildExitSource(pid), observer, limits, started);
        onStarted?.Invoke(pid);
        return loop.StartAsync(cancellationToken);
    }

    private static bool CreatePipe(int* fds)
    {
        if (LibC.pipe2(fds, LibC.O_CLOEXEC) != 0)
        {
            return false;
        }

        fds[0] = LibC.EnsureAboveStdio(fds[0]);
        fds[1] = LibC.EnsureAboveStdio(fds[1]);
        if (fds[0] < 0 || fds[1] < 0)
        {
            return false;
        }

        LibC.fcntl(fds[0], LibC.F_SETPIPE_SZ, PipeCapacity);
        int flags = LibC.fcntl(fds[0], LibC.F_GETFL, 0);
        LibC.fcntl(fds[0], LibC.F_SETFL, flags | LibC.O_NONBLOCK);
        return true;
    }

    private static void CloseAll(int* a, int* b)
    {
        LibC.CloseIfOpen(ref a[0]);
        LibC.CloseIfOpen(ref a[1]);
        LibC.CloseIfOpen(ref b[0]);
        LibC.CloseIfOpen(ref b[1]);
    }

    internal static ProcessOutcome Failed(StartFailureKind kind, string message, int? errno, long started) => new()
    {
        StartError = new ProcessStartError(kind, message, errno),
        Duration = Stopwatch.GetElapsedTime(started),
    };

    internal static ProcessOutcome DescribeSpawnFailure(ProcessLaunch launch, int errno, long started)
    {
        string program = launch.ExecutablePath;
        return errno switch
        {
            LibC.ENOENT => Failed(StartFailureKind.ProgramNotFound,
                $"Could not start '{program}': no such file, or its interpreter (#! line) is missing.", errno, started),
            LibC.EACCES => Failed(StartFailureKind.PermissionDenied,
                $"Permission denied starting '{program}'.", errno, started),
            LibC.ENOEXEC => Failed(StartFailureKind.ExecFormatError,
                $"'{program}' is not an executable format (a script needs a #! line).", errno, started),
            LibC.E2BIG => Failed(StartFailureKind.ArgumentListTooLong,
                $"Could not start '{program}': the arguments and environment are larger than the kernel accepts (E2BIG); pass long lists through a file.", errno, started),
            LibC.ENOTDIR => Failed(StartFailureKind.WorkingDirectoryNotFound,
                $"The working directory '{launch.WorkingDirectory}' is not a directory.", errno, started),
            _ => Failed(StartFailureKind.SpawnFailed,
                $"Could not start '{program}': {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno, started),
        };
    }

    internal sealed class PolledStream(int fd, OutputStreamKind kind)
    {
        public int Fd = fd;

        public OutputStreamKind Kind { get; } = kind;

        public bool SpliceUnsupported { get; set; }
    }

    /// <summary>The per-process I/O thread: reads, exit detection, timeout and termination.</summary>
    internal sealed class ProcessIoLoop
    {
        private readonly int _pid;
        private readonly PolledStream[] _streams;
        private readonly IProcessOutputObserver _observer;
        private readonly ProcessLimits _limits;
        private readonly long _started;
        private readonly TaskCompletionSource<ProcessOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ExitSource _exit;
        private int _wakeFd = -1;
        private volatile bool _cancelRequested;

        public ProcessIoLoop(int pid, PolledStream[] streams, ExitSource exit, IProcessOutputObserver observer, ProcessLimits limits, long started)
        {
            _pid = pid;
            _streams = streams;
            _exit = exit;
            _observer = observer;
            _limits = limits;
            _started = started;
            _wakeFd = LibC.eventfd(0, LibC.O_CLOEXEC | LibC.O_NONBLOCK);
        }

        public Task<ProcessOutcome> StartAsync(CancellationToken cancellationToken)
        {
            var thread = new Thread(() => RunWithRegistration(cancellationToken), 256 * 1024)
            {
                IsBackground = true,
                Name = $"orchestrator-exec-{_pid}",
            };
            thread.Start();
            return _completion.Task;
        }

        public void KillNow() => LibC.kill(-_pid, LibC.SIGKILL);

        public ProcessOutcome RunToCompletion()
        {
            RunWithRegistration(CancellationToken.None);
            return _completion.Task.Result;
        }

        private void RunWithRegistration(CancellationToken cancellationToken)
        {
            try
            {
                ProcessOutcome outcome;
                using (cancellationToken.Register(static state => ((ProcessIoLoop)state!).RequestCancel(), this))
                {
                    outcome = Run();
                }

                _completion.TrySetResult(outcome);
            }
            catch (Exception ex)
            {
                _completion.TrySetException(ex);
            }
            finally
            {
                foreach (var stream in _streams)
                {
                    LibC.CloseIfOpen(ref stream.Fd);
                }

                _exit.Dispose();
                LibC.CloseIfOpen(ref _wakeFd);
            }
        }

        private void RequestCancel()
        {
            _cancelRequested = true;
            Wake();
        }

        private void Wake()
        {
            int fd = _wakeFd;
            if (fd >= 0)
            {
                ulong one = 1;
                LibC.write(fd, (byte*)&one, sizeof(ulong));
            }
        }

        private ProcessOutcome Run()
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
            try
            {
                return Loop(buffer);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private ProcessOutcome Loop(byte[] buffer)
        {
            long? timeoutAt = _limits.Timeout is TimeSpan t ? _started + ToTicks(t) : null;
            long? killAt = null;
            long? drainUntil = null;
            bool exited = false;
            bool killed = false;
            bool termSent = false;
            TerminationReason? reason = null;
            int? exitCode = null;
            int? signal = null;
            bool drainTimedOut = false;
            Exception? recordingError = null;
            int count = _streams.Length + 2;
            var fds = stackalloc LibC.PollFd[count];

            while (true)
            {
                long now = Stopwatch.GetTimestamp();

                if (!exited && reason is null)
                {
                    if (_cancelRequested)
                    {
                        reason = TerminationReason.Cancelled;
                    }
                    else if (timeoutAt is long deadline && now >= deadline)
                    {
                        reason = TerminationReason.Timeout;
                    }

                    if (reason is not null)
                    {
                        if (_limits.KillGracePeriod <= TimeSpan.Zero)
                        {
                            LibC.kill(-_pid, LibC.SIGKILL);
                            killed = true;
                        }
                        else
                        {
                            LibC.kill(-_pid, LibC.SIGTERM);
                            termSent = true;
                            killAt = now + ToTicks(_limits.KillGracePeriod);
                        }
                    }
                }

                if (reason is not null && !killed && killAt is long k && now >= k)
                {
                    // The group outlived the grace period (a child ignoring SIGTERM, or one still holding
                    // the output pipes after the leader exited): end it for good.
                    LibC.kill(-_pid, LibC.SIGKILL);
                    killed = true;
                }

                bool streamsOpen = _streams.Any(s => s.Fd >= 0);
                if (exited && !streamsOpen)
                {
                    break;
                }

                if (exited && (drainUntil is long d && now >= d || (_cancelRequested && reason is null)))
                {
                    drainTimedOut = drainUntil is long d2 && now >= d2;
                    break;
                }

                int timeoutMs = -1;
                if (!exited && reason is null && timeoutAt is long ta)
                {
                    timeoutMs = MinTimeout(timeoutMs, ta - now);
                }

                if (reason is not null && !killed && killAt is long ka)
                {
                    timeoutMs = MinTimeout(timeoutMs, ka - now);
                }

                if (exited && drainUntil is long du)
                {
                    timeoutMs = MinTimeout(timeoutMs, du - now);
                }

                if (!exited && _exit.PollFd < 0)
                {
                    // No pidfd (old kernel): poll for the exit status at a modest rate.
                    timeoutMs = timeoutMs < 0 ? 20 : Math.Min(timeoutMs, 20);
                }

                int n = 0;
                fds[n++] = new LibC.PollFd { Fd = _wakeFd, Events = LibC.POLLIN };
                fds[n++] = new LibC.PollFd { Fd = exited ? -1 : _exit.PollFd, Events = LibC.POLLIN };
                foreach (var stream in _streams)
                {
                    fds[n++] = new LibC.PollFd { Fd = stream.Fd, Events = LibC.POLLIN };
                }

                int ready = LibC.poll(fds, (nuint)n, timeoutMs);
                if (ready < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == LibC.EINTR)
                    {
                        continue;
                    }

                    throw new IOException($"poll failed: {Marshal.GetPInvokeErrorMessage(errno)}");
                }

                if ((fds[0].REvents & LibC.POLLIN) != 0)
                {
                    ulong value;
                    LibC.read(_wakeFd, (byte*)&value, sizeof(ulong));
                }

                for (int i = 0; i < _streams.Length; i++)
                {
                    if (fds[i + 2].REvents != 0)
                    {
                        recordingError = Drain(_streams[i], buffer, recordingError);
                    }
                }

                if (recordingError is not null && !exited && !killed)
                {
                    // Output that cannot be recorded (a full disk, an I/O error) stops the command: a
                    // command left running unrecorded is exactly what the records exist to prevent.
                    LibC.kill(-_pid, LibC.SIGKILL);
                    killed = true;
                }

                if (!exited && (_exit.PollFd < 0 || (fds[1].REvents & LibC.POLLIN) != 0) && _exit.TryCollect(out exitCode, out signal))
                {
                    exited = true;
                    drainUntil = Stopwatch.GetTimestamp() + ToTicks(_limits.DrainTimeout);
                }
            }

            if (((reason is not null && !killed) || recordingError is not null) && ProcessGroup.HasLiveMembers(_pid))
            {
                // We stopped waiting while members of the group were still alive: a terminated
                // command must not leave its tree running.
                LibC.kill(-_pid, LibC.SIGKILL);
                killed = true;
            }

            return new ProcessOutcome
            {
                Pid = _pid,
                ExitCode = exitCode,
                Signal = signal,
                Termination = reason is TerminationReason r ? new TerminationInfo(r, termSent, killed, _limits.KillGracePeriod) : null,
                OutputDrainTimedOut = drainTimedOut,
                Duration = Stopwatch.GetElapsedTime(_started),
                RecordingError = recordingError,
            };
        }

        /// <summary>
        /// Moves what is available (bounded, so one busy stream cannot starve the other) to the
        /// observer: spliced straight into its file when it asks for that, else read and delivered.
        /// </summary>
        private Exception? Drain(PolledStream stream, byte[] buffer, Exception? recordingError)
        {
            fixed (byte* p = buffer)
            {
                for (int round = 0; round < 16 && stream.Fd >= 0; round++)
                {
                    nint moved = recordingError is null && !stream.SpliceUnsupported ? TrySplice(stream, ref recordingError) : -2;
                    if (moved == -2)
                    {
                        moved = ReadAndDeliver(stream, p, buffer.Length, ref recordingError);
                    }

                    if (moved > 0)
                    {
                        continue;
                    }

                    if (moved == 0)
                    {
                        LibC.CloseIfOpen(ref stream.Fd);
                        break;
                    }

                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == LibC.EAGAIN || errno == LibC.EINTR)
                    {
                        break;
                    }

                    // EIO is how a PTY master reports that the last slave holder is gone: treat as end of stream.
                    LibC.CloseIfOpen(ref stream.Fd);
                    break;
                }
            }

            return recordingError;
        }

        /// <summary>Returns bytes read (0 at end of stream, -1 with errno set); delivery failures are recorded, not thrown.</summary>
        private nint ReadAndDeliver(PolledStream stream, byte* buffer, int length, ref Exception? recordingError)
        {
            nint read = LibC.read(stream.Fd, buffer, length);
            if (read > 0 && recordingError is null)
            {
                try
                {
                    _observer.OnOutput(stream.Kind, new ReadOnlySpan<byte>(buffer, (int)read));
                }
                catch (Exception ex)
                {
                    // Keep draining so the child never blocks on a full pipe; the error is reported.
                    recordingError = ex;
                }
            }

            return read;
        }

        /// <summary>
        /// When the observer only needs the bytes appended to a file (see <see cref="ISpliceTarget"/>),
        /// the kernel moves them from the pipe to the file without a trip through user space. Returns
        /// -2 when splicing does not apply, so the caller reads instead.
        /// </summary>
        private nint TrySplice(PolledStream stream, ref Exception? recordingError)
        {
            if (_observer is not ISpliceTarget target || !target.TryGetSpliceTarget(stream.Kind, out int fd, out long offset))
            {
                return -2;
            }

            long position = offset;
            nint moved = LibC.splice(stream.Fd, null, fd, &position, SpliceChunk, LibC.SPLICE_F_MOVE | LibC.SPLICE_F_NONBLOCK);
            if (moved > 0)
            {
                try
                {
                    target.OnSpliced(stream.Kind, moved);
                }
                catch (Exception ex)
                {
                    recordingError = ex;
                }

                return moved;
            }

            int errno = moved < 0 ? Marshal.GetLastPInvokeError() : 0;
            if (moved < 0 && errno is LibC.EINVAL or LibC.ENOSYS)
            {
                stream.SpliceUnsupported = true; // e.g. a file system without splice support: read from now on
                return -2;
            }

            if (moved < 0 && errno is not (LibC.EAGAIN or LibC.EINTR))
            {
                // The log refused the bytes (ENOSPC, EIO, EFBIG): a recording error, not the end of
                // the stream. The caller reads (and drops) from now on while the command is stopped.
                recordingError = target.SpliceFailed(stream.Kind, errno);
                return -2;
            }

            if (moved < 0)
            {
                Marshal.SetLastPInvokeError(errno);
            }

            return moved;
        }

        private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

        private static int MinTimeout(int current, long ticks)
        {
            long ms = ticks <= 0 ? 0 : (long)Math.Ceiling(ticks * 1000.0 / Stopwatch.Frequency);
            int bounded = (int)Math.Min(ms, int.MaxValue);
            return current < 0 ? bounded : Math.Min(current, bounded);
        }
    }
}
