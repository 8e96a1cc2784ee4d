using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Orchestrator.Core.Commands.Sessions;
using Orchestrator.Core.Events;
using Orchestrator.Core.Events.Handles;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Security;

namespace Orchestrator.Core.Commands;

/// <summary>
/// Runs one command inside a run: resolves it, starts it, streams its output into raw logs,
/// head+tail captures and chunk events, and records <c>exec:begin</c>/<c>exec:end</c> and the
/// manifest entry. Start failures become a failed command with an error record, never an exception.
/// </summary>
public static class CommandExecutor
{
    private const int MaxTitleLength = 120;

    /// <summary>Runs the command directly (no sandbox, no tool run).</summary>
    public static Task<CommandResult> RunAsync(RunRecorder run, ExecRequest request, CancellationToken cancellationToken) =>
        RunAsync(run, request, ExecAttempt.Direct, cancellationToken);

    /// <summary>Runs one attempt of a tool run, in the sandbox when <paramref name="attempt"/> says so.</summary>
    public static async Task<CommandResult> RunAsync(RunRecorder run, ExecRequest request, ExecAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(attempt);
        RunOptions options = run.Options;
        int index = run.AllocateCommandIndex();
        string id = ResolveId(request);
        string execId = $"{index:D3}-{id}";
        string cwd = ResolveWorkingDirectory(run, request);
        var logs = new CommandLogPaths(
            RunPaths.CommandLogRelativePath(index, id, "stdout"),
            RunPaths.CommandLogRelativePath(index, id, "stderr"));
        string stdoutLog = run.Paths.Resolve(logs.Stdout!);
        string stderrLog = run.Paths.Resolve(logs.Stderr!);

        var environment = EnvironmentBuilder.Compose(request.Environment);
        SecretSet secrets = options.Secrets.For(environment);
        if (options.Telemetry?.ChildEnvironment(execId, attempt.ToolRunId) is { Count: > 0 } trace)
        {
            // TRACEPARENT names this attempt's span, so a run the command starts nests under it.
            environment = environment.SetItems(trace);
        }

        bool inSession = request.SessionId is not null;

        if (request.UsePty || inSession)
        {
            // A terminal has one output stream, recorded as the stdout log: no stderr log will exist.
            logs = logs with { Stderr = null };
        }

        var handles = options.Handles ?? HandleService.Shared;
        OutputHandle? handle = OpenHandle(run, handles, $"{run.RunId}/{execId}", HandleKinds.Exec);

        var record = NewRecord(run, request, index, CommandStatus.Running, secrets) with
        {
            Logs = logs,
            ToolRunId = attempt.ToolRunId,
            Attempt = attempt.ToolRunId is null ? null : attempt.Attempt,
            Sandbox = WireNames.Of(attempt.Sandbox),
            Pty = request.UsePty || inSession,
            Terminal = request.UsePty || inSession ? request.Terminal ?? TerminalSize.Default : null,
            Session = request.SessionId,
        };

        long seq = 0;
        var outputHandles = new List<OutputHandle>(2);
        if (handle is not null)
        {
            outputHandles.Add(handle);
        }

        SessionLease? lease = null;
        string? sessionError = null;
        ProcessStartError? sessionStartError = null;
        if (inSession && !Directory.Exists(cwd))
        {
            // The same failure as in pipe mode, before any shell is started or reused: a shell would
            // only print cd's complaint and carry on.
            sessionStartError = new ProcessStartError(StartFailureKind.WorkingDirectoryNotFound, $"The working directory '{cwd}' does not exist.", Native.LibC.ENOENT);
        }
        else if (inSession)
        {
            (lease, sessionError) = await LeaseSessionAsync(run, request, attempt, cwd, environment, handles, cancellationToken).ConfigureAwait(false);
            if (lease?.Session.Handle is OutputHandle sessionHandle)
            {
                outputHandles.Add(sessionHandle);
            }
        }

        using var recorder = new CommandOutputRecorder(stdoutLog, stderrLog, options.Output, (stream, chunk, valid) =>
        {
            run.Emit(new ExecChunkPayload
            {
                ExecId = execId,
                Seq = ++seq,
                Stream = StreamName(stream),
                Bytes = chunk.Length,
                Text = valid ? Encoding.UTF8.GetString(chunk) : null,
                Data = valid ? null : Convert.ToBase64String(chunk),
                Encoding = valid ? null : "base64",
            });
        }, execId, options.OutputTaps, secrets, outputHandles, run.CreateLogFile, [logs.Stdout!, logs.Stderr!]);

        ExecBeginPayload Begin(int? pid) => new()
        {
            ExecId = execId,
            Index = index,
            Title = record.Title,
            ToolRunId = record.ToolRunId,
            Attempt = record.Attempt,
            Sandbox = record.Sandbox,
            Command = record.Command,
            Argv = record.Argv,
            Shell = record.Shell,
            Cwd = cwd,
            Pid = pid,
            Pty = record.Pty,
            SessionId = request.SessionId,
            Logs = logs,
        };

        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        long startedTimestamp = Stopwatch.GetTimestamp();
        ProcessOutcome outcome;
        PseudoTerminal? terminal = null;
        ProcessStartError? startError;
        ProcessLaunch? launch = null;
        SandboxLimitScope? limitScope = null;
        if (inSession)
        {
            startError = sessionStartError ?? (sessionError is null ? null : new ProcessStartError(StartFailureKind.TerminalUnavailable, sessionError));
        }
        else
        {
            startError = OpenTerminal(request, out terminal) ?? Prepare(request, cwd, environment, attempt.Launch, terminal?.SlavePath, out launch, out limitScope);
        }

        using var terminalScope = terminal;
        using var limitsInForce = limitScope;
        if (startError is not null)
        {
            // Never shown as running: the one manifest write below records the failure.
            outcome = new ProcessOutcome { StartError = startError, Duration = Stopwatch.GetElapsedTime(startedTimestamp) };
            run.Emit(Begin(null));
        }
        else if (cancellationToken.IsCancellationRequested)
        {
            outcome = new ProcessOutcome
            {
                Termination = new TerminationInfo(TerminationReason.Cancelled, false, false, options.KillGracePeriod),
                Duration = TimeSpan.Zero,
            };
            run.Emit(Begin(null));
        }
        else
        {
            var limits = new ProcessLimits(request.Timeout, options.KillGracePeriod, options.DrainTimeout);
            void OnStarted(int pid)
            {
                record = record with { Pid = pid, StartedAt = startedAt };
                run.UpsertCommand(record);
                run.Emit(Begin(pid));
            }

            if (lease is not null)
            {
                var session = lease.Session;
                var inShell = await session.RunAsync(SessionCommandLine(request, lease, cwd), recorder, OnStarted, limits, cancellationToken).ConfigureAwait(false);
                outcome = new ProcessOutcome
                {
                    Pid = session.ShellPid,
                    ExitCode = inShell.ExitCode,
                    Termination = inShell.Termination,
                    Duration = inShell.Duration,
                    RecordingError = inShell.RecordingError,
                };
                sessionError = inShell.Termination is null ? inShell.Error : null;
                await AfterSessionCommandAsync(run, request, lease).ConfigureAwait(false);
            }
            else if (terminal is not null)
            {
                outcome = await ProcessRunner.RunInTerminalAsync(launch!, terminal, recorder, limits, OnStarted, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // A sandboxed command gets a sandbox of its own: its own user and PID namespaces,
                // so everything it starts ends with it and nothing it does reaches the next command.
                outcome = await ProcessRunner.RunAsync(launch!, recorder, limits, OnStarted, cancellationToken).ConfigureAwait(false);
            }

            if (outcome.StartError is not null)
            {
                run.Emit(Begin(null));
            }
        }

        recorder.Complete();
        DateTimeOffset completedAt = DateTimeOffset.UtcNow;
        var (status, error) = Classify(outcome);
        if (status != CommandStatus.Cancelled && limitScope?.Exceeded() is string exceeded)
        {
            // The kernel refused a fork or killed a process at the limit: whatever the exit code
            // says, the command did not run as written (a fork bomb's parent often exits 0).
            // A timeout stays a timeout; the record says the limit was hit as well.
            (status, error) = (status == CommandStatus.TimedOut ? status : CommandStatus.Failed,
                new ErrorRecord("LimitExceeded", $"The sandbox stopped the command: {exceeded}."));
        }
        if (sessionError is not null && outcome.Started && outcome.Termination is null)
        {
            // The shell ended under the command: no exit status exists, and the reason is the session's.
            (status, error) = (CommandStatus.Failed, new ErrorRecord("SessionEnded", sessionError));
        }

        handle?.Complete(WireNames.Of(status));
        var stdout = recorder.Capture(OutputStreamKind.Stdout);
        if (record.Pty)
        {
            // A terminal's output is full of escapes and carriage returns: the manifest keeps it readable.
            stdout = stdout with { Text = TerminalText.Clean(stdout.Text) };
        }

        var stderr = recorder.Capture(OutputStreamKind.Stderr);
        var chunker = recorder.Chunker;
        var events = new EventStatsRecord(chunker.EmittedChunks, chunker.EmittedBytes, chunker.NotEmittedChunks, chunker.NotEmittedBytes, options.Output.EventBudgetBytes);
        TerminationRecord? termination = outcome.Termination is TerminationInfo info ? ToRecord(info) : null;
        long durationMs = (long)outcome.Duration.TotalMilliseconds;

        run.Emit(new ExecEndPayload
        {
            ExecId = execId,
            Index = index,
            Status = WireNames.Of(status),
            ExitCode = outcome.ExitCode,
            Signal = outcome.SignalName,
            DurationMs = durationMs,
            Stdout = stdout,
            Stderr = stderr,
            Events = events,
            Termination = termination,
            OutputDrainTimedOut = outcome.OutputDrainTimedOut,
            Error = error,
        });

        var finalRecord = record with
        {
            Logs = new CommandLogPaths(
                recorder.LogPath(OutputStreamKind.Stdout) is null ? null : logs.Stdout,
                recorder.LogPath(OutputStreamKind.Stderr) is null ? null : logs.Stderr),
            Status = status,
            ExitCode = outcome.ExitCode,
            Signal = outcome.SignalName,
            Pid = outcome.Started && outcome.Pid > 0 ? outcome.Pid : null,
            StartedAt = startedAt,
            CompletedAt = completedAt,
            DurationMs = durationMs,
            Stdout = stdout,
            Stderr = stderr,
            Events = events,
            Termination = termination,
            OutputDrainTimedOut = outcome.OutputDrainTimedOut,
            Error = error,
        };

        // The command's end is one state change, written once: a tool run's attempt (with the
        // session and handle counters) goes to disk together with the tool run's state, which the
        // ToolOrchestrator writes next on every path; a direct command writes it all here.
        var (sessionRecords, handleRecords) = SessionsAndHandles(lease, handle);
        if (attempt.ToolRunId is not null)
        {
            if (sessionRecords.Count > 0 || handleRecords.Count > 0)
            {
                run.StageSessionsAndHandles(sessionRecords, handleRecords);
            }
        }
        else if (sessionRecords.Count > 0 || handleRecords.Count > 0)
        {
            run.UpsertCommandSessionsAndHandles(finalRecord, sessionRecords, handleRecords);
        }
        else
        {
            run.UpsertCommand(finalRecord);
        }

        return new CommandResult
        {
            Index = index,
            Id = id,
            ExecId = execId,
            Status = status,
            ExitCode = outcome.ExitCode,
            Signal = outcome.SignalName,
            Pid = outcome.Pid > 0 ? outcome.Pid : null,
            Duration = outcome.Duration,
            Timeout = request.Timeout,
            Stdout = stdout,
            Stderr = stderr,
            StdoutLogPath = recorder.LogPath(OutputStreamKind.Stdout),
            StderrLogPath = recorder.LogPath(OutputStreamKind.Stderr),
            Events = events,
            Termination = termination,
            OutputDrainTimedOut = outcome.OutputDrainTimedOut,
            Error = error,
            Record = finalRecord,
        };
    }

    /// <summary>Records a command of the run that will not run, with the reason, so the manifest lists every command.</summary>
    public static void RecordSkipped(RunRecorder run, ExecRequest request, string reason)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(request);
        var secrets = run.Options.Secrets.For(EnvironmentBuilder.Compose(request.Environment));
        run.UpsertCommand(NewRecord(run, request, run.AllocateCommandIndex(), CommandStatus.Skipped, secrets) with { StatusDetail = reason });
    }

    /// <summary>The fields of a command record that come from the request alone.</summary>
    /// <remarks>A secret in the command line (a token passed as an argument) is masked like in the output.</remarks>
    private static CommandRecord NewRecord(RunRecorder run, ExecRequest request, int index, CommandStatus status, SecretSet secrets) => new()
    {
        Index = index,
        Id = ResolveId(request),
        Title = secrets.RedactText(request.Title ?? Abbreviate(request.Command.Display)),
        Command = secrets.RedactText(request.Command.Display),
        Argv = request.Command.IsShell ? null : [.. request.Command.Argv.Select(secrets.RedactText)],
        Shell = request.Command.IsShell,
        Cwd = ResolveWorkingDirectory(run, request),
        Env = RecordedEnvironment(request.Environment, secrets),
        Pty = request.UsePty || request.SessionId is not null,
        Terminal = request.UsePty || request.SessionId is not null ? request.Terminal ?? TerminalSize.Default : null,
        Session = request.SessionId,
        Status = status,
        TimeoutMs = request.Timeout is TimeSpan timeout ? (long)Math.Ceiling(timeout.TotalMilliseconds) : null,
        Stage = request.Stage,
    };

    internal static string ResolveWorkingDirectory(RunRecorder run, ExecRequest request) =>
        Path.GetFullPath(request.WorkingDirectory ?? run.WorkingDirectory, run.WorkingDirectory);

    internal static string StreamName(OutputStreamKind stream) => stream switch
    {
        OutputStreamKind.Stdout => "stdout",
        OutputStreamKind.Stderr => "stderr",
        _ => "pty",
    };

    private static ProcessStartError? Prepare(
        ExecRequest request, string cwd, ImmutableDictionary<string, string> environment, SandboxLaunch? sandbox, string? terminal, out ProcessLaunch? launch, out SandboxLimitScope? limits)
    {
        launch = null;
        limits = null;
        if (!Directory.Exists(cwd))
        {
            return new ProcessStartError(StartFailureKind.WorkingDirectoryNotFound, $"The working directory '{cwd}' does not exist.", Native.LibC.ENOENT);
        }

        environment.TryGetValue("PATH", out string? path);
        var (program, error) = ProgramResolver.Resolve(request.Command.Program, cwd, path);
        if (error is not null || program is null)
        {
            return error;
        }

        var entries = EnvironmentBuilder.ToEntries(environment);
        if (sandbox is null)
        {
            launch = new ProcessLaunch(program, request.Command.Argv, cwd, entries);
            return null;
        }

        // bwrap resolves the command with the same PATH inside (the file system is the host's, read-only),
        // so argv[0] stays as the user wrote it.
        var readable = program.StartsWith("/tmp/", StringComparison.Ordinal) ? request.ReadablePaths.Add(program) : request.ReadablePaths;
        var wrapper = BubblewrapCommand.Arguments(sandbox.BubblewrapPath, sandbox.Settings, WorkspaceLocator.FindWorkspaceRoot(cwd), cwd, sandbox.ProtectedPaths, readable,
            terminal is null ? null : [terminal]);
        int argumentCount = wrapper.Length + request.Command.Argv.Length + 8;
        if (argumentCount > BubblewrapCommand.MaxArguments)
        {
            // bwrap refuses more and exits 1 with its own message, which is not a sandbox refusal.
            return new ProcessStartError(StartFailureKind.ArgumentListTooLong,
                $"The command has {request.Command.Argv.Length} arguments; inside the sandbox at most {BubblewrapCommand.MaxArguments - wrapper.Length - 8} fit (bwrap's limit is {BubblewrapCommand.MaxArguments}). Pass long lists through a file.",
                Native.LibC.E2BIG);
        }

        limits = SandboxLimiter.Begin(sandbox.Settings.EffectiveLimits);
        launch = limits.Launch(wrapper, request.Command.Argv, cwd, entries);
        return null;
    }

    private static ProcessStartError? OpenTerminal(ExecRequest request, out PseudoTerminal? terminal)
    {
        terminal = null;
        if (!request.UsePty)
        {
            return null;
        }

        try
        {
            terminal = PseudoTerminal.Open(request.Terminal ?? TerminalSize.Default);
            return null;
        }
        catch (Exception ex) when (ex is PlatformNotSupportedException or IOException)
        {
            return new ProcessStartError(StartFailureKind.TerminalUnavailable, ex.Message);
        }
    }

    /// <summary>An output handle for late attach; when none can be had the run goes on without (with a warning).</summary>
    private static OutputHandle? OpenHandle(RunRecorder run, HandleService handles, string id, string kind)
    {
        try
        {
            return handles.Open(id, kind);
        }
        catch (InvalidOperationException ex)
        {
            run.AddWarning(new RunWarning("HandleUnavailable", ex.Message));
            return null;
        }
    }

    /// <summary>
    /// The session the command runs in: the live one with its id and the same sandbox, or a new
    /// one. Returns the reason instead when none can be had (the command then fails to start).
    /// </summary>
    private static async Task<(SessionLease? Lease, string? Error)> LeaseSessionAsync(
        RunRecorder run,
        ExecRequest request,
        ExecAttempt attempt,
        string cwd,
        ImmutableDictionary<string, string> environment,
        HandleService handles,
        CancellationToken cancellationToken)
    {
        var manager = run.Options.Sessions ?? ExecSessionManager.Shared;
        var start = new SessionStartOptions(cwd, request.Environment.ToImmutableDictionary(StringComparer.Ordinal), request.Terminal ?? TerminalSize.Default, attempt.Launch)
        {
            Secrets = run.Options.Secrets.For(environment),
        };
        SessionLease lease;
        try
        {
            lease = await manager.GetOrStartAsync(request.SessionId, start, cancellationToken).ConfigureAwait(false);
        }
        catch (OrchestratorException ex) when (ex.Code == OrchestratorErrorCode.TerminalUnavailable)
        {
            return (null, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, null);
        }

        foreach (var disposed in lease.Disposed)
        {
            run.Emit(new SessionDisposedPayload { SessionId = disposed.Info.Id, Reason = disposed.Reason, CommandCount = disposed.Info.CommandCount });
        }

        var session = lease.Session;
        if (lease.Created)
        {
            session.Handle = OpenHandle(run, handles, $"session/{session.Id}", HandleKinds.Session);
            run.Emit(new SessionCreatedPayload
            {
                SessionId = session.Id,
                ShellPid = session.ShellPid,
                Shell = session.Shell,
                Cwd = session.WorkingDirectory,
                Terminal = session.Terminal,
                Sandboxed = session.Sandboxed,
                ReplacedBecause = lease.ReplacedBecause,
            });
        }
        else if (request.Terminal is TerminalSize size && size != session.Terminal)
        {
            session.Resize(size);
        }

        if (lease.Disposed.Count > 0)
        {
            run.UpsertSessionsAndHandles(lease.Disposed.Where(d => d.Info.Id != session.Id).Select(d => SessionRecord.From(d.Info, createdByRun: false) with { EndReason = d.Reason }), []);
        }

        return (lease, null);
    }

    /// <summary>
    /// The line the session's shell evaluates. In a reused session the request's environment and
    /// explicit working directory are applied first (they persist in the shell, like typing them).
    /// </summary>
    private static string SessionCommandLine(ExecRequest request, SessionLease lease, string cwd)
    {
        string line = request.Command.IsShell ? request.Command.ShellLine! : string.Join(' ', request.Command.Argv.Select(ShellQuote));
        if (lease.Created)
        {
            return line;
        }

        var prefix = new StringBuilder();
        foreach (var (name, value) in request.Environment.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            prefix.Append(value is null ? $"unset {name}\n" : $"export {name}={ShellQuote(value)}\n");
        }

        if (request.WorkingDirectory is not null)
        {
            // The directory was checked before; if it vanished since, the command fails rather than
            // running somewhere else.
            return $"{prefix}if cd -- {ShellQuote(cwd)}; then\n{line}\nelse false\nfi";
        }

        return prefix.Length == 0 ? line : prefix + line;
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static async Task AfterSessionCommandAsync(RunRecorder run, ExecRequest request, SessionLease lease)
    {
        if (request.PersistSession)
        {
            return;
        }

        var manager = run.Options.Sessions ?? ExecSessionManager.Shared;
        int commands = lease.Session.CommandCount;
        // Not cancellable: a half-disposed session would leak its shell.
        if (await manager.DisposeSessionAsync(lease.Session.Id, CancellationToken.None).ConfigureAwait(false))
        {
            run.Emit(new SessionDisposedPayload { SessionId = lease.Session.Id, Reason = "not persisted (PersistSession is false)", CommandCount = commands });
        }
    }

    private static (List<SessionRecord> Sessions, List<HandleRecord> Handles) SessionsAndHandles(SessionLease? lease, OutputHandle? handle)
    {
        var sessions = new List<SessionRecord>(1);
        var handles = new List<HandleRecord>(2);
        if (handle is not null)
        {
            handles.Add(HandleRecord.From(handle.Info));
        }

        if (lease is not null)
        {
            sessions.Add(SessionRecord.From(lease.Session.Describe(), lease.Created));
            if (lease.Session.Handle is OutputHandle sessionHandle)
            {
                handles.Add(HandleRecord.From(sessionHandle.Info));
            }
        }

        return (sessions, handles);
    }

    private static (CommandStatus Status, ErrorRecord? Error) Classify(ProcessOutcome outcome)
    {
        if (outcome.StartError is ProcessStartError start)
        {
            return (CommandStatus.Failed, new ErrorRecord(start.Kind.ToString(), start.Message));
        }

        if (outcome.Termination is TerminationInfo termination)
        {
            return termination.Reason == TerminationReason.Timeout
                ? (CommandStatus.TimedOut, null)
                : (CommandStatus.Cancelled, null);
        }

        if (outcome.RecordingError is Exception recording)
        {
            return (CommandStatus.Failed, new ErrorRecord("OutputRecordingFailed", $"Recording the command's output failed: {recording.Message}"));
        }

        if (outcome.ExitCode is null)
        {
            return (CommandStatus.Failed, new ErrorRecord("ExitStatusUnavailable", "The process ended but its exit status was collected by another party (SIGCHLD ignored by the host)."));
        }

        return (outcome.ExitCode == 0 ? CommandStatus.Succeeded : CommandStatus.Failed, null);
    }

    private static TerminationRecord ToRecord(TerminationInfo info)
    {
        var signals = new List<string>(2);
        if (info.TermSent)
        {
            signals.Add("SIGTERM");
        }

        if (info.Forced)
        {
            signals.Add("SIGKILL");
        }

        return new TerminationRecord(
            info.Reason == TerminationReason.Timeout ? "timeout" : "cancelled",
            signals,
            info.Forced,
            (long)info.GracePeriod.TotalMilliseconds);
    }

    private static Dictionary<string, string?>? RecordedEnvironment(IReadOnlyDictionary<string, string?> overlay, SecretSet secrets)
    {
        if (overlay.Count == 0)
        {
            return null;
        }

        var recorded = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in overlay.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            recorded[key] = value is null ? null : SecretNames.LooksSecret(key) ? SecretNames.Mask : secrets.RedactText(value);
        }

        return recorded;
    }

    private static string ResolveId(ExecRequest request)
    {
        if (request.Id is not null)
        {
            return request.Id; // ExecRequest admits only valid ids
        }

        string source = request.Command.IsShell
            ? request.Command.ShellLine!.TrimStart().Split([' ', '\t', '\n', ';', '|', '&'], 2)[0]
            : request.Command.Program;
        source = Path.GetFileName(source.TrimEnd('/'));
        var builder = new StringBuilder(Math.Min(source.Length, 32));
        foreach (char c in source)
        {
            if (builder.Length == 32)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }

        string id = builder.ToString().Trim('.');
        return id.Length == 0 ? "cmd" : id;
    }

    private static string Abbreviate(string text)
    {
        // Escaped, not folded: a newline shown as a space would make two commands read as one.
        string oneLine = CommandDisplay.Escape(text);
        return oneLine.Length <= MaxTitleLength ? oneLine : oneLine[..(MaxTitleLength - 3)] + "...";
    }
}
