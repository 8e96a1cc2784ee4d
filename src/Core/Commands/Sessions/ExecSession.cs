using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Orchestrator.Core.Events.Handles;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Native;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Security;

namespace Orchestrator.Core.Commands.Sessions;

/// <summary>
/// A long-lived shell on a pseudo-terminal that runs one command at a time and keeps its state
/// (directory, variables, functions) between them. Commands reach the shell through a pipe on its
/// fd 3, never through the terminal, so they are not echoed, have no length limit and cannot be
/// confused with what a command reads from its terminal; each command's end is a marker with a
/// fresh nonce (<see cref="SessionMarker"/>) carrying <c>$?</c>, removed exactly from the output.
/// The shell runs with job control, so each command is the terminal's foreground process group and
/// a timeout ends that group without ending the session.
/// </summary>
public sealed class ExecSession : IAsyncDisposable
{
    private const int IdleBufferLimit = 1 << 20;

    private readonly object _gate = new();
    private readonly PseudoTerminal _terminal;
    private readonly FileStream _script;
    private readonly ChildExitSource _exit;
    private readonly int _wakeFd;
    private readonly Thread _reader;
    private readonly SemaphoreSlim _commandLock = new(1, 1);
    private readonly byte[] _baselineModes;
    private readonly MemoryStream _idle = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _idleSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ActiveCommand? _active;
    private long _idleDropped;
    private bool _disposed;
    private SandboxLimitScope? _limits;

    private ExecSession(string id, SessionStartOptions options, string shell, PseudoTerminal terminal, FileStream script, int pid, ImmutableDictionary<string, string> environment)
    {
        Id = id;
        Shell = shell;
        Sandboxed = options.Sandbox is not null;
        SandboxKey = options.SandboxKey;
        Terminal = options.Terminal;
        WorkingDirectory = options.WorkingDirectory;
        ShellPid = pid;
        _terminal = terminal;
        _script = script;
        _exit = new ChildExitSource(pid);
        _wakeFd = LibC.EnsureAboveStdio(LibC.eventfd(0, LibC.O_CLOEXEC | LibC.O_NONBLOCK));
        _baselineModes = terminal.SaveModes();
        CreatedAt = DateTimeOffset.UtcNow;
        LastUsedAt = CreatedAt;
        Environment = environment
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToImmutableSortedDictionary(p => p.Key, p => SecretNames.LooksSecret(p.Key) ? SecretNames.Mask : options.Secrets.RedactText(p.Value), StringComparer.Ordinal);
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = $"orchestrator-session-{id}" };
        _reader.Start();
    }

    public string Id { get; }

    /// <summary>The pid we started: the shell, or bubblewrap around it when sandboxed.</summary>
    public int ShellPid { get; }

    public string Shell { get; }

    public bool Sandboxed { get; }

    /// <summary>The sandbox it runs in (see <see cref="SessionStartOptions.SandboxKey"/>).</summary>
    public string SandboxKey { get; }

    /// <summary>The session's output handle (every command's output, for late attach); completed when the session ends.</summary>
    public OutputHandle? Handle { get; internal set; }

    public string WorkingDirectory { get; }

    public TerminalSize Terminal { get; private set; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset LastUsedAt { get; private set; }

    public int CommandCount { get; private set; }

    /// <summary>The environment the shell started with, secret-looking values masked.</summary>
    public ImmutableSortedDictionary<string, string> Environment { get; }

    /// <summary>Why the session can no longer run commands (the shell exited, it was disposed); null while usable.</summary>
    public string? EndReason { get; private set; }

    public bool IsAlive => EndReason is null;

    public bool IsRunning => Volatile.Read(ref _active) is not null;

    /// <summary>Bytes of idle output (printed between commands) dropped because nobody read them.</summary>
    public long IdleBytesDropped => Interlocked.Read(ref _idleDropped);

    public string Status => _disposed ? "disposed" : !IsAlive ? "exited" : IsRunning ? "running" : "idle";

    public SessionInfo Describe() =>
        new(Id, ShellPid, Shell, Status, CreatedAt, LastUsedAt, CommandCount, Terminal, Sandboxed, Environment) { EndReason = EndReason };

    /// <summary>
    /// Starts the shell (bash when present, else sh) and waits until it has run its first (empty)
    /// command, so a shell that cannot start fails here with its own words rather than on first use.
    /// </summary>
    public static async Task<ExecSession> StartAsync(string id, SessionStartOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!PseudoTerminal.IsSupported)
        {
            throw new OrchestratorException(OrchestratorErrorCode.TerminalUnavailable,
                $"PTY not supported on {RuntimeInformation.OSDescription}: sessions need a terminal; run the command with pipes instead.");
        }

        if (!Directory.Exists(options.WorkingDirectory))
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest, $"The session's working directory '{options.WorkingDirectory}' does not exist.");
        }

        string shell = options.Shell ?? (File.Exists("/bin/bash") ? "/bin/bash" : "/bin/sh");
        var environment = EnvironmentBuilder.Compose(options.Environment);
        if (!environment.ContainsKey("TERM"))
        {
            environment = environment.SetItem("TERM", "xterm-256color");
        }

        var terminal = PseudoTerminal.Open(options.Terminal);
        int pid;
        FileStream script;
        SandboxLimitScope? limits = options.Sandbox is { } sandbox ? SandboxLimiter.Begin(sandbox.Settings.EffectiveLimits) : null;
        try
        {
            (pid, script) = Spawn(options, shell, terminal, environment, limits);
        }
        catch
        {
            limits?.Dispose();
            terminal.Dispose();
            throw;
        }

        // The session's sandbox and its limits live as long as its shell.
        var session = new ExecSession(id, options, shell, terminal, script, pid, environment) { _limits = limits };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.StartTimeout);
            var greeting = new CollectingObserver();

            // fd 3 is how commands arrive: no command may read it, so the shell closes it for them
            // (it keeps reading its script through its own descriptor).
            var ready = await session.RunCoreAsync("exec 3<&-", greeting, null, ProcessLimits.Default, timeout.Token, countAsCommand: false).ConfigureAwait(false);
            if (ready.Error is not null || ready.ExitCode != 0)
            {
                throw new OrchestratorException(OrchestratorErrorCode.TerminalUnavailable,
                    $"The session shell did not start: {ready.Error ?? $"exit code {ready.ExitCode}"}. {greeting.Text.Trim()}".TrimEnd());
            }

            return session;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw new OrchestratorException(OrchestratorErrorCode.TerminalUnavailable,
                $"The session shell did not answer within {options.StartTimeout.TotalSeconds:0.#} s.");
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs one shell command line in the session and returns its exit status as the shell saw it.
    /// Output goes to <paramref name="observer"/> as the <see cref="OutputStreamKind.Pty"/> stream,
    /// without the marker. Commands queue: one runs at a time.
    /// </summary>
    public Task<SessionCommandOutcome> RunAsync(string command, IProcessOutputObserver observer, ProcessLimits limits, CancellationToken cancellationToken) =>
        RunAsync(command, observer, null, limits, cancellationToken);

    /// <param name="onStarted">
    /// Called with the shell's pid just before the command is handed to the shell, so nothing the
    /// command prints can reach the observer before it.
    /// </param>
    public Task<SessionCommandOutcome> RunAsync(string command, IProcessOutputObserver observer, Action<int>? onStarted, ProcessLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(limits);
        return RunCoreAsync(command, observer, onStarted, limits, cancellationToken, countAsCommand: true);
    }

    private async Task<SessionCommandOutcome> RunCoreAsync(string command, IProcessOutputObserver observer, Action<int>? onStarted, ProcessLimits limits, CancellationToken cancellationToken, bool countAsCommand)
    {
        await _commandLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        long started = Stopwatch.GetTimestamp();
        try
        {
            if (EndReason is string ended)
            {
                return new SessionCommandOutcome(null, null, TimeSpan.Zero, ended);
            }

            // Whatever the last command did to the terminal (raw mode, no echo), this one starts
            // with the terminal as the session began.
            _terminal.RestoreModes(_baselineModes);
            string nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var active = new ActiveCommand(new SessionMarker(nonce), observer);
            lock (_gate)
            {
                _active = active;
            }

            if (countAsCommand)
            {
                CommandCount++;
                LastUsedAt = DateTimeOffset.UtcNow;
            }

            onStarted?.Invoke(ShellPid);
            try
            {
                byte[] script = Encoding.UTF8.GetBytes(Script(command, active.Marker));
                await _script.WriteAsync(script, cancellationToken).ConfigureAwait(false);
                await _script.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The shell is gone (EPIPE): the reader reports why.
                await Task.WhenAny(_ended.Task, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
                Finish(active, null, EndReason ?? "The session's shell is no longer reading commands.");
            }

            TerminationInfo? termination = await WaitAsync(active, limits, cancellationToken).ConfigureAwait(false);
            var (exitCode, error) = await active.Done.Task.ConfigureAwait(false);
            return new SessionCommandOutcome(exitCode, termination, Stopwatch.GetElapsedTime(started), error) { RecordingError = active.RecordingError };
        }
        finally
        {
            lock (_gate)
            {
                _active = null;
            }

            _commandLock.Release();
        }
    }

    /// <summary>Writes to the terminal, as typed: what a command reading its terminal receives.</summary>
    public Task WriteAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (EndReason is string ended)
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest, $"Session '{Id}' cannot take input: {ended}");
        }

        return _terminal.WriteAsync(input, cancellationToken);
    }

    public Task WriteAsync(string text, CancellationToken cancellationToken) => WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>
    /// Returns what the session printed while no command was running (background jobs), waiting up
    /// to <paramref name="yieldTime"/> for something to arrive when nothing has yet.
    /// </summary>
    public async Task<byte[]> ReadAsync(TimeSpan yieldTime, CancellationToken cancellationToken)
    {
        Task signal;
        lock (_gate)
        {
            if (_idle.Length > 0 || EndReason is not null)
            {
                return TakeIdle();
            }

            signal = _idleSignal.Task;
        }

        await Task.WhenAny(signal, Task.Delay(yieldTime, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return TakeIdle();
        }
    }

    /// <summary>Resizes the terminal; the foreground program gets SIGWINCH.</summary>
    public void Resize(TerminalSize size)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _terminal.Resize(size);
        Terminal = size;
    }

    /// <summary>Ends the shell and everything it started in the session, and waits for the shell.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        EndReason ??= "The session was disposed.";
        HangUp(LibC.SIGHUP);
        if (!await WaitEndedAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false))
        {
            LibC.kill(ShellPid, LibC.SIGKILL);
            await WaitEndedAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }

        // Jobs that ignored the hang-up (nohup, their own process group) end with the session.
        HangUp(LibC.SIGKILL);
        Wake();
        _reader.Join(TimeSpan.FromSeconds(5));
        Handle?.Complete(HandleStatuses.Disposed);
        await _script.DisposeAsync().ConfigureAwait(false);
        _terminal.Dispose();
        _exit.Dispose();
        LibC.close(_wakeFd);
        _limits?.Dispose();
    }

    /// <summary>
    /// Each command arrives as a quoted here-document read into a variable and evaluated: a syntax
    /// error in the command is the command's error (status 2), never the session's, and no text of
    /// the command can end the here-document early (its delimiter holds the nonce).
    /// </summary>
    private static string Script(string command, SessionMarker marker)
    {
        string delimiter = "__ORCH_" + marker.Nonce;
        return $"IFS= read -r -d '' __orch_cmd <<'{delimiter}'\n{command}\n{delimiter}\neval \"$__orch_cmd\"\n{marker.PrintCommand}\n";
    }

    private static (int Pid, FileStream Script) Spawn(
        SessionStartOptions options, string shell, PseudoTerminal terminal, ImmutableDictionary<string, string> environment, SandboxLimitScope? limits)
    {
        string[] shellArgv = shell.EndsWith("bash", StringComparison.Ordinal)
            ? [shell, "--noprofile", "--norc", "-m", "/dev/fd/3"]
            : [shell, "-m", "/dev/fd/3"];
        ProcessLaunch launch;
        if (options.Sandbox is { } sandbox)
        {
            string cwd = options.WorkingDirectory;
            var wrapper = BubblewrapCommand.Arguments(sandbox.BubblewrapPath, sandbox.Settings, WorkspaceLocator.FindWorkspaceRoot(cwd), cwd, sandbox.ProtectedPaths, null, [terminal.SlavePath]);
            launch = (limits ?? SandboxLimitScope.Unlimited).Launch(wrapper, shellArgv, cwd, EnvironmentBuilder.ToEntries(environment));
        }
        else
        {
            launch = new ProcessLaunch(shell, [.. shellArgv], options.WorkingDirectory, EnvironmentBuilder.ToEntries(environment));
        }

        int[] fds = new int[2];
        unsafe
        {
            fixed (int* p = fds)
            {
                if (LibC.pipe2(p, LibC.O_CLOEXEC) != 0)
                {
                    throw new IOException($"pipe2 failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
                }
            }
        }

        // Above 3, so the spawn's dup2 onto fd 3 always clears close-on-exec.
        int read = LibC.fcntl(fds[0], LibC.F_DUPFD_CLOEXEC, 10);
        LibC.close(fds[0]);
        try
        {
            int pid = PosixSpawner.Spawn(launch, SpawnStdio.Terminal(terminal.SlavePath, read), newSession: true, out int error);
            if (pid <= 0)
            {
                LibC.close(fds[1]);
                throw new OrchestratorException(OrchestratorErrorCode.TerminalUnavailable,
                    $"Could not start the session shell '{launch.ExecutablePath}': {Marshal.GetPInvokeErrorMessage(error)}.");
            }

            return (pid, new FileStream(new SafeFileHandle(fds[1], ownsHandle: true), FileAccess.Write, 1));
        }
        finally
        {
            LibC.close(read);
        }
    }

    private async Task<TerminationInfo?> WaitAsync(ActiveCommand active, ProcessLimits limits, CancellationToken cancellationToken)
    {
        using var timeout = limits.Timeout is TimeSpan t ? new CancellationTokenSource(t) : null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout?.Token ?? CancellationToken.None);
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (linked.Token.Register(() => stop.TrySetResult()).ConfigureAwait(false))
        {
            if (await Task.WhenAny(active.Done.Task, stop.Task).ConfigureAwait(false) == active.Done.Task)
            {
                return null;
            }
        }

        var reason = cancellationToken.IsCancellationRequested ? TerminationReason.Cancelled : TerminationReason.Timeout;

        // The command is the terminal's foreground process group; when the shell itself is in the
        // foreground (a builtin loop), only ending the shell stops the command.
        int foreground = LibC.tcgetpgrp(_terminal.MasterFd);
        bool ownGroup = foreground > 0 && foreground != ShellPid && foreground != LibC.getpgid(ShellPid);
        int target = ownGroup ? -foreground : -ShellPid;
        LibC.kill(target, LibC.SIGTERM);
        if (await CompletesWithinAsync(active.Done.Task, limits.KillGracePeriod).ConfigureAwait(false))
        {
            return new TerminationInfo(reason, TermSent: true, Forced: false, limits.KillGracePeriod);
        }

        LibC.kill(target, LibC.SIGKILL);
        if (!await CompletesWithinAsync(active.Done.Task, limits.DrainTimeout + TimeSpan.FromSeconds(1)).ConfigureAwait(false))
        {
            // The shell did not report back: the session cannot be trusted any more.
            EndReason ??= $"The session's shell did not come back after its command was ended ({reason.ToString().ToLowerInvariant()}).";
            HangUp(LibC.SIGKILL);
            Finish(active, null, EndReason);
        }

        return new TerminationInfo(reason, TermSent: true, Forced: true, limits.KillGracePeriod);
    }

    private static async Task<bool> CompletesWithinAsync(Task task, TimeSpan time) =>
        await Task.WhenAny(task, Task.Delay(time)).ConfigureAwait(false) == task;

    private async Task<bool> WaitEndedAsync(TimeSpan time) => await CompletesWithinAsync(_ended.Task, time).ConfigureAwait(false);

    /// <summary>
    /// Like closing a terminal window, but thorough: every process of the shell's session (jobs in
    /// process groups of their own too) gets the signal; a stopped one is woken to take it.
    /// </summary>
    private void HangUp(int signal)
    {
        foreach (int pid in ProcessGroup.SessionMembers(ShellPid))
        {
            LibC.kill(pid, signal);
            if (signal != LibC.SIGKILL)
            {
                LibC.kill(pid, LibC.SIGCONT);
            }
        }
    }

    private void Finish(ActiveCommand active, int? exitCode, string? error) => active.Done.TrySetResult((exitCode, error));

    private byte[] TakeIdle()
    {
        byte[] data = _idle.ToArray();
        _idle.SetLength(0);
        _idleSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return data;
    }

    private unsafe void Wake()
    {
        ulong one = 1;
        LibC.write(_wakeFd, (byte*)&one, sizeof(ulong));
    }

    /// <summary>
    /// One thread per session reads the terminal, watches the shell's pidfd and a wake descriptor:
    /// output goes to the running command (through its marker scanner) or to the idle buffer; the
    /// shell's exit fails the running command with the shell's status instead of leaving it waiting.
    /// </summary>
    private unsafe void ReadLoop()
    {
        byte[] buffer = new byte[64 * 1024];
        int reader = LibC.fcntl(_terminal.MasterFd, LibC.F_DUPFD_CLOEXEC, 3);
        bool terminalOpen = true;
        bool shellRunning = true;
        long shellEndedAt = 0;
        LibC.PollFd* fds = stackalloc LibC.PollFd[3];
        try
        {
            while (true)
            {
                int count = 0;
                fds[count++] = new LibC.PollFd { Fd = _wakeFd, Events = LibC.POLLIN };
                if (terminalOpen)
                {
                    fds[count++] = new LibC.PollFd { Fd = reader, Events = LibC.POLLIN };
                }

                if (shellRunning && _exit.PollFd >= 0)
                {
                    fds[count++] = new LibC.PollFd { Fd = _exit.PollFd, Events = LibC.POLLIN };
                }

                // After the shell exits, keep reading briefly for its last words; without a pidfd, poll the status.
                int wait = !shellRunning ? 100 : _exit.PollFd < 0 ? 50 : -1;
                int ready = LibC.poll(fds, (nuint)count, wait);
                if (ready < 0 && Marshal.GetLastPInvokeError() != LibC.EINTR)
                {
                    break;
                }

                if (_disposed && !shellRunning)
                {
                    break;
                }

                ulong wakes;
                LibC.read(_wakeFd, (byte*)&wakes, sizeof(ulong));

                if (terminalOpen)
                {
                    terminalOpen = Drain(reader, buffer);
                }

                if (shellRunning && _exit.TryCollect(out int? exitCode, out int? signal))
                {
                    shellRunning = false;
                    shellEndedAt = Stopwatch.GetTimestamp();
                    terminalOpen = terminalOpen && Drain(reader, buffer);
                    string how = signal is int s ? $"was killed by {SignalNames.ToName(s)}" : $"exited with code {exitCode}";
                    EndReason ??= $"The session's shell {how}.";
                    _ended.TrySetResult();
                }

                if (!shellRunning)
                {
                    // Whatever a background job still prints is not the command's: end it now.
                    if (!terminalOpen || Stopwatch.GetElapsedTime(shellEndedAt) > TimeSpan.FromMilliseconds(200) || _disposed)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            LibC.close(reader);
            EndReason ??= "The session's terminal closed.";
            ActiveCommand? active;
            lock (_gate)
            {
                active = _active;
                _idleSignal.TrySetResult();
            }

            if (active is not null)
            {
                Finish(active, null, EndReason);
            }

            _ended.TrySetResult();
        }
    }

    /// <summary>Reads what is available; false once the terminal has no writers left (EIO) or failed.</summary>
    private unsafe bool Drain(int fd, byte[] buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = LibC.read(fd, p, buffer.Length);
                if (n > 0)
                {
                    Deliver(buffer.AsSpan(0, (int)n));
                    continue;
                }

                if (n == 0)
                {
                    return false;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno == LibC.EINTR)
                {
                    continue;
                }

                return errno == LibC.EAGAIN;
            }
        }
    }

    private void Deliver(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            ActiveCommand? active;
            lock (_gate)
            {
                active = _active;
                if (active is null || active.Done.Task.IsCompleted)
                {
                    AppendIdle(data);
                    return;
                }
            }

            int? exit = active.Marker.Scan(data, active.Forward, out int consumed);
            data = data[consumed..];
            if (exit is int code)
            {
                Finish(active, code, null);
            }
        }
    }

    private void AppendIdle(ReadOnlySpan<byte> data)
    {
        if (_idle.Length + data.Length > IdleBufferLimit)
        {
            // Keep the newest: drop what nobody read.
            int drop = (int)Math.Min(_idle.Length, _idle.Length + data.Length - IdleBufferLimit);
            byte[] kept = _idle.ToArray()[drop..];
            _idle.SetLength(0);
            _idle.Write(kept);
            Interlocked.Add(ref _idleDropped, drop);
            if (data.Length > IdleBufferLimit)
            {
                Interlocked.Add(ref _idleDropped, data.Length - IdleBufferLimit);
                data = data[^IdleBufferLimit..];
            }
        }

        _idle.Write(data);
        _idleSignal.TrySetResult();
    }

    /// <summary>The command being run: its marker, where its output goes, how it ended.</summary>
    private sealed class ActiveCommand(SessionMarker marker, IProcessOutputObserver observer)
    {
        public SessionMarker Marker { get; } = marker;

        public TaskCompletionSource<(int? ExitCode, string? Error)> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Exception? RecordingError { get; private set; }

        public void Forward(ReadOnlySpan<byte> data)
        {
            if (data.IsEmpty || RecordingError is not null)
            {
                return;
            }

            try
            {
                observer.OnOutput(OutputStreamKind.Pty, data);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // A full disk must not hang the session: the command still runs to its marker.
                RecordingError = ex;
            }
        }
    }

    /// <summary>Keeps what the shell printed while starting, for the error when it does not.</summary>
    private sealed class CollectingObserver : IProcessOutputObserver
    {
        private readonly StringBuilder _text = new();

        public string Text => _text.ToString();

        public void OnOutput(OutputStreamKind stream, ReadOnlySpan<byte> data) => _text.Append(Encoding.UTF8.GetString(data));
    }
}
