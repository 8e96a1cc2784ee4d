using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Orchestrator.Core.Events;
using Orchestrator.Core.Instructions;
using Orchestrator.Core.Json;
using Orchestrator.Core.Native;

namespace Orchestrator.Core.Runs;

/// <summary>
/// Owns one run on disk: creates its directory, keeps the manifest (rewritten atomically on every
/// state change and on each heartbeat), appends events to events.jsonl and fans them out to the
/// door's sinks, and closes everything with a <c>run:summary</c> and the events hash.
/// </summary>
public sealed class RunRecorder : IDisposable
{
    private const int MaxCachedTaskStateStores = 64;

    /// <summary>
    /// Space held in the run directory while the run is open (<see cref="ReserveFileName"/>): a run
    /// that fills its disk frees it to write its final manifest, so the record says "failed" and
    /// why instead of staying <c>in_progress</c>. Enough for the manifest of a run of many commands.
    /// </summary>
    private const long ReserveBytes = 128 * 1024;

    private const string ReserveFileName = ".space-reserve";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Root, string TaskId), State.TaskStateStore> TaskStateStores = new();

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_manifestBuffer;

    [ThreadStatic]
    private static int t_lastManifestLength;

    private readonly Lock _manifestGate = new();
    private readonly Lock _emitGate = new();
    private readonly JsonlEventWriter _events;
    private readonly SafeDirectory _directory;
    private readonly Lock _logDirectoryGate = new();
    private SafeDirectory? _commandsDirectory;
    private bool _reserved;
    private readonly IExecEventSink[] _sinks;
    private readonly bool[] _sinkFailed;
    private readonly List<Exception> _sinkErrors = [];
    private readonly Timer? _heartbeat;
    private readonly long _startedTimestamp;
    private RunManifest _manifest;
    private int _nextIndex;
    private int _nextToolRun;
    private bool _completed;

    private RunRecorder(RunPaths paths, SafeDirectory directory, RunOptions options, RunManifest manifest, JsonlEventWriter events)
    {
        Paths = paths;
        _directory = directory;
        Options = options;
        _manifest = manifest;
        _events = events;
        _sinks = [.. options.Sinks];
        _sinkFailed = new bool[_sinks.Length];
        _startedTimestamp = Stopwatch.GetTimestamp();
        if (options.HeartbeatInterval > TimeSpan.Zero)
        {
            _heartbeat = new Timer(static state => ((RunRecorder)state!).Beat(), this, options.HeartbeatInterval, options.HeartbeatInterval);
        }
    }

    public RunPaths Paths { get; }

    public RunOptions Options { get; }

    public string RunId => Paths.RunId;

    public string TaskId => Paths.TaskId;

    public string WorkingDirectory => _manifest.Cwd;

    /// <summary>The latest manifest state.</summary>
    public RunManifest Manifest
    {
        get
        {
            lock (_manifestGate)
            {
                return _manifest;
            }
        }
    }

    /// <summary>Exceptions thrown by door sinks; a failing sink is dropped, the run and its files go on.</summary>
    public IReadOnlyList<Exception> SinkErrors
    {
        get
        {
            lock (_emitGate)
            {
                return [.. _sinkErrors];
            }
        }
    }

    /// <summary>
    /// Creates the run directory, writes the first manifest (<c>in_progress</c>) and emits
    /// <c>run:begin</c>. Throws <see cref="OrchestratorException"/> for an invalid task id or a runs
    /// root that cannot be written, before anything is created outside the runs root.
    /// </summary>
    public static RunRecorder Start(RunOptions options) => Start(options, initial: null);

    /// <summary>
    /// As <see cref="Start(RunOptions)"/>, with <paramref name="initial"/> applied to the first
    /// manifest before it is written: what a door knows before the run begins (telemetry,
    /// notifications) is in the first version instead of costing a second write.
    /// </summary>
    public static RunRecorder Start(RunOptions options, Func<RunManifest, RunManifest>? initial)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Output.Validate();
        string cwd = Path.GetFullPath(options.WorkingDirectory ?? Environment.CurrentDirectory);
        string taskId = Runs.TaskId.Resolve(options.TaskId, Environment.GetEnvironmentVariable);
        string runsRoot = string.IsNullOrEmpty(options.RunsRoot)
            ? WorkspaceLocator.DefaultRunsRoot(cwd)
            : Path.GetFullPath(options.RunsRoot, cwd);
        if (options.ParentRunId is not null)
        {
            Runs.RunId.Validate(options.ParentRunId);
        }

        // Recorded, never obeyed: read before anything runs so the record shows what was in force.
        InstructionSet instructions = LoadInstructions(cwd, options);
        (RunPaths paths, SafeDirectory directory) = CreateRunDirectory(runsRoot, taskId);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var manifest = new RunManifest
        {
            TaskId = taskId,
            RunId = paths.RunId,
            ParentRunId = options.ParentRunId,
            PipelineId = options.PipelineId,
            Runner = options.Runner,
            Status = RunStatus.InProgress,
            StartedAt = now,
            UpdatedAt = now,
            HeartbeatAt = now,
            HeartbeatIntervalMs = (long)Math.Max(0, options.HeartbeatInterval.TotalMilliseconds),
            ApprovalPolicy = options.Approvals.Policy,
            SandboxMode = options.Sandbox.Mode,
            Cwd = cwd,
            RunnerProcess = new RunnerProcessInfo(Environment.ProcessId, Environment.MachineName),
            SettingSources = options.SettingSources,
            ConfigurationFiles = options.ConfigurationFiles,
            Environment = EnvironmentInfo.Capture(),
            Instructions = InstructionsRecord.From(instructions),
            Warnings = [.. instructions.Warnings.Select(w => new RunWarning(InstructionsRecord.WarningCode, w))],
        };
        if (initial is not null)
        {
            manifest = initial(manifest) with { UpdatedAt = now };
        }

        JsonlEventWriter events;
        try
        {
            WriteManifest(directory, manifest, durable: false);
            events = new JsonlEventWriter(directory, RunPaths.EventsFileName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            directory.Dispose();
            throw NotWritable(runsRoot, ex);
        }
        catch (OrchestratorException)
        {
            directory.Dispose();
            throw;
        }

        var recorder = new RunRecorder(paths, directory, options, manifest, events)
        {
            _reserved = directory.TryReserve(ReserveFileName, ReserveBytes),
        };
        try
        {
            recorder.AppendTaskState(manifest);
        }
        catch (OrchestratorException ex)
        {
            // Nothing has run: the run ends here, failed, with the reason in its manifest.
            recorder.Abandon(ex);
            recorder.Dispose();
            throw;
        }

        recorder.Emit(new RunBeginPayload
        {
            TaskId = taskId,
            Runner = WireNames.Of(options.Runner),
            PipelineId = options.PipelineId,
            ParentRunId = options.ParentRunId,
            Cwd = cwd,
            ManifestPath = paths.ManifestPath,
            EventsPath = paths.EventsPath,
            ApprovalPolicy = WireNames.Of(options.Approvals.Policy),
            SandboxMode = WireNames.Of(options.Sandbox.Mode),
        });
        return recorder;
    }

    /// <summary>The <c>run:summary</c> event, once <see cref="Complete"/> has emitted it (what notifications deliver).</summary>
    public ExecEvent? Summary { get; private set; }

    /// <summary>The next 1-based command index of this run.</summary>
    public int AllocateCommandIndex() => Interlocked.Increment(ref _nextIndex);

    /// <summary>The next tool run id of this run: <c>tool-001</c>, <c>tool-002</c>, ...</summary>
    public string AllocateToolRunId() => $"tool-{Interlocked.Increment(ref _nextToolRun):D3}";

    /// <summary>Adds or replaces (by id) a tool run record.</summary>
    public RunManifest UpsertToolRun(ToolRunRecord toolRun) => Update(m =>
    {
        var toolRuns = m.ToolRuns.ToList();
        int at = toolRuns.FindIndex(t => t.Id == toolRun.Id);
        if (at >= 0)
        {
            toolRuns[at] = toolRun;
        }
        else
        {
            toolRuns.Add(toolRun);
        }

        return m with { ToolRuns = toolRuns };
    });

    /// <summary>Writes a command's record and its tool run's record as one state change.</summary>
    public RunManifest UpsertCommandAndToolRun(CommandRecord? command, ToolRunRecord toolRun) => Update(m =>
    {
        var commands = m.Commands;
        if (command is not null)
        {
            var list = commands.ToList();
            int at = list.FindIndex(c => c.Index == command.Index);
            if (at >= 0)
            {
                list[at] = command;
            }
            else
            {
                list.Add(command);
            }

            commands = list;
        }

        var toolRuns = m.ToolRuns.ToList();
        int existing = toolRuns.FindIndex(t => t.Id == toolRun.Id);
        if (existing >= 0)
        {
            toolRuns[existing] = toolRun;
        }
        else
        {
            toolRuns.Add(toolRun);
        }

        return m with { Commands = commands, ToolRuns = toolRuns };
    });

    /// <summary>Records a session's state, and handles' states, in one write (by id).</summary>
    public RunManifest UpsertSessionsAndHandles(IEnumerable<SessionRecord> sessions, IEnumerable<HandleRecord> handles) =>
        Update(m => WithSessionsAndHandles(m, sessions, handles));

    /// <summary>
    /// Records sessions and handles (as <see cref="UpsertSessionsAndHandles"/>) in memory only: for a
    /// change that belongs to a state change the caller writes next (a command's end, written with its
    /// tool run). Any later write (an update, a heartbeat, completion) carries it.
    /// </summary>
    internal void StageSessionsAndHandles(IEnumerable<SessionRecord> sessions, IEnumerable<HandleRecord> handles)
    {
        lock (_manifestGate)
        {
            _manifest = WithSessionsAndHandles(_manifest, sessions, handles);
        }
    }

    /// <summary>Records sessions, handles and a command record in one write (a command's end outside a tool run).</summary>
    internal RunManifest UpsertCommandSessionsAndHandles(CommandRecord command, IEnumerable<SessionRecord> sessions, IEnumerable<HandleRecord> handles) =>
        Update(m => WithCommand(WithSessionsAndHandles(m, sessions, handles), command));

    private static RunManifest WithSessionsAndHandles(RunManifest m, IEnumerable<SessionRecord> sessions, IEnumerable<HandleRecord> handles)
    {
        var sessionList = m.Sessions.ToList();
        foreach (var session in sessions)
        {
            int at = sessionList.FindIndex(s => s.Id == session.Id);
            if (at >= 0)
            {
                // Still "created by this run" once it was.
                sessionList[at] = session with { CreatedByRun = session.CreatedByRun || sessionList[at].CreatedByRun };
            }
            else
            {
                sessionList.Add(session);
            }
        }

        var handleList = m.Handles.ToList();
        foreach (var handle in handles)
        {
            int at = handleList.FindIndex(h => h.HandleId == handle.HandleId);
            if (at >= 0)
            {
                handleList[at] = handle;
            }
            else
            {
                handleList.Add(handle);
            }
        }

        return m with { Sessions = sessionList, Handles = handleList };
    }

    public RunManifest AddApproval(ApprovalRecord approval) => Update(m => m with { Approvals = [.. m.Approvals, approval] });

    /// <summary>Records a warning once (the same code and message are not repeated).</summary>
    public RunManifest AddWarning(RunWarning warning) => Update(m =>
        m.Warnings.Contains(warning) ? m : m with { Warnings = [.. m.Warnings, warning] });

    /// <summary>Emits one event: appended to events.jsonl, then handed to each sink in order.</summary>
    public ExecEvent Emit(ExecEventPayload payload)
    {
        var executionEvent = ExecEvent.Create(RunId, payload);
        lock (_emitGate)
        {
            // The line stays valid until the next write, which this lock keeps out.
            ReadOnlySpan<byte> line;
            try
            {
                line = _events.Write(executionEvent);
            }
            catch (IOException ex)
            {
                throw RecordFailure(ex);
            }

            for (int i = 0; i < _sinks.Length; i++)
            {
                if (_sinkFailed[i])
                {
                    continue;
                }

                try
                {
                    if (_sinks[i] is IExecEventLineSink lineSink)
                    {
                        lineSink.EmitLine(executionEvent, line);
                    }
                    else
                    {
                        _sinks[i].Emit(executionEvent);
                    }
                }
                catch (Exception ex)
                {
                    _sinkFailed[i] = true;
                    _sinkErrors.Add(ex);
                }
            }
        }

        return executionEvent;
    }

    /// <summary>Applies a change to the manifest and writes it atomically.</summary>
    public RunManifest Update(Func<RunManifest, RunManifest> change)
    {
        lock (_manifestGate)
        {
            var now = DateTimeOffset.UtcNow;
            _manifest = change(_manifest) with { UpdatedAt = now };
            WriteManifestOrThrow(_manifest, durable: false);
            return _manifest;
        }
    }

    /// <summary>Adds or replaces (by index) a command record.</summary>
    public RunManifest UpsertCommand(CommandRecord command) => Update(m => WithCommand(m, command));

    private static RunManifest WithCommand(RunManifest m, CommandRecord command)
    {
        var commands = m.Commands.ToList();
        int at = commands.FindIndex(c => c.Index == command.Index);
        if (at >= 0)
        {
            commands[at] = command;
        }
        else
        {
            commands.Add(command);
        }

        return m with { Commands = commands };
    }

    /// <summary>
    /// Ends the run: emits <c>run:summary</c>, closes events.jsonl, and writes the final manifest with
    /// the status, the completion time and the events hash.
    /// </summary>
    public RunManifest Complete(RunStatus status, string? statusDetail, int? exitCode)
    {
        lock (_manifestGate)
        {
            if (_completed)
            {
                return _manifest;
            }
        }

        _heartbeat?.Dispose();
        var manifest = Manifest;
        if (_events.Failure is { } lost && status != RunStatus.Failed)
        {
            // A run whose events could not all be written is not a success, whatever its commands did.
            (status, statusDetail) = (RunStatus.Failed, $"The run record could not be written: {lost.Message}");
        }

        try
        {
            Summary = Emit(new RunSummaryPayload
            {
                TaskId = TaskId,
                Status = WireNames.Of(status),
                StatusDetail = statusDetail,
                DurationMs = (long)Stopwatch.GetElapsedTime(_startedTimestamp).TotalMilliseconds,
                ExitCode = exitCode,
                Commands = CommandCounts.From(manifest.Commands),
                ManifestPath = Paths.ManifestPath,
            });
        }
        catch (OrchestratorException) when (_events.Failure is not null)
        {
            // events.jsonl stopped at its last whole line; the manifest below still says how the run ended.
        }

        string sha;
        long count;
        lock (_emitGate)
        {
            count = _events.EventCount;
            sha = _events.Close(Options.DurableWrites);
        }

        if (_events.Failure is { } failure && status != RunStatus.Failed)
        {
            (status, statusDetail) = (RunStatus.Failed, $"The run record could not be written: {failure.Message}");
        }

        lock (_manifestGate)
        {
            var now = DateTimeOffset.UtcNow;
            _manifest = _manifest with
            {
                Status = status,
                StatusDetail = statusDetail,
                ExitCode = exitCode,
                CompletedAt = now,
                UpdatedAt = now,
                HeartbeatAt = now,
                EventsSha256 = sha,
                EventCount = count,
            };
            _completed = true;
            try
            {
                WriteManifestOrThrow(_manifest, Options.DurableWrites);
            }
            catch (OrchestratorException)
            {
                // The task state still learns how the run ended (out/ may be on another disk).
                ReleaseReserve();
                TryAppendTaskState(_manifest);
                throw;
            }

            ReleaseReserve();
        }

        // After the final manifest is on disk, so the line never points at a run still in progress.
        AppendTaskState(Manifest);
        if (_events.Failure is { } lostEvents)
        {
            // The manifest says it all; the door still has to fail with the reason.
            throw RecordFailure(lostEvents);
        }

        return Manifest;
    }

    /// <summary>The task state root of a run: the option, else <c>out</c> beside the runs root.</summary>
    public static string StateRootFor(RunOptions options, string runsRoot) =>
        string.IsNullOrEmpty(options.StateRoot)
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(runsRoot).TrimEnd(Path.DirectorySeparatorChar)) ?? runsRoot, State.TaskStateStore.DefaultDirectoryName)
            : Path.GetFullPath(options.StateRoot);

    /// <summary>
    /// Appends the run's state to the task's runs.jsonl. A state file that cannot be written (a full
    /// disk, a link planted in its place) fails the run's door with the reason, which the manifest
    /// also keeps as a <c>TaskStateNotWritten</c> warning: a record that silently lost its state
    /// line would let the task look as if the run never happened.
    /// </summary>
    private void AppendTaskState(RunManifest manifest)
    {
        if (!Options.RecordTaskState)
        {
            return;
        }

        try
        {
            var store = TaskStateStoreFor(StateRootFor(Options, Paths.RunsRoot), TaskId);
            store.Append(new State.TaskStateEntry
            {
                RunId = RunId,
                Status = manifest.Status,
                Timestamp = DateTimeOffset.UtcNow,
                Runner = manifest.Runner,
                PipelineId = manifest.PipelineId,
                ParentRunId = manifest.ParentRunId,
                ManifestPath = Paths.ManifestPath,
                ExitCode = manifest.ExitCode,
                StatusDetail = manifest.StatusDetail is { Length: > 1000 } detail ? detail[..997] + "..." : manifest.StatusDetail,
            }, Options.DurableWrites);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OrchestratorException)
        {
            var failure = ex as OrchestratorException ?? new OrchestratorException(OrchestratorErrorCode.RunsRootNotWritable,
                $"The task state (runs.jsonl) could not be appended: {ex.Message}", ex);
            lock (_manifestGate)
            {
                var warning = new RunWarning("TaskStateNotWritten", $"The task state (runs.jsonl) could not be appended: {ex.Message}");
                if (!_manifest.Warnings.Contains(warning))
                {
                    _manifest = _manifest with { Warnings = [.. _manifest.Warnings, warning] };
                }

                try
                {
                    WriteManifest(_directory, _manifest, Options.DurableWrites);
                }
                catch (Exception again) when (again is IOException or UnauthorizedAccessException or OrchestratorException)
                {
                    // The failure below is what the caller needs to see.
                }
            }

            throw failure;
        }
    }

    private void TryAppendTaskState(RunManifest manifest)
    {
        try
        {
            AppendTaskState(manifest);
        }
        catch (OrchestratorException)
        {
            // The manifest failure being reported matters more.
        }
    }

    /// <summary>
    /// One store per task state file and process: a build node running many runs of a task opens
    /// (and checks the tail of) the file once, not twice per run. Every append still locks the file
    /// and repairs a torn tail, so other writers (other nodes, other processes) stay safe.
    /// </summary>
    private static State.TaskStateStore TaskStateStoreFor(string stateRoot, string taskId)
    {
        if (TaskStateStores.Count > MaxCachedTaskStateStores)
        {
            TaskStateStores.Clear(); // many roots in one process (tests): start over rather than grow
        }

        return TaskStateStores.GetOrAdd((stateRoot, taskId), static key => State.TaskStateStore.Open(key.Root, key.TaskId));
    }

    /// <summary>Closes a run that ended by an exception, recording it as failed with the reason.</summary>
    public void Abandon(Exception reason)
    {
        string detail = reason is OrchestratorException known
            ? $"The run stopped: {known.Message}"
            : $"The run stopped on an internal error: {reason.GetType().Name}: {reason.Message}";
        try
        {
            Complete(RunStatus.Failed, detail, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or OrchestratorException)
        {
            // The original exception is what the caller needs to see.
        }
    }

    public void Dispose()
    {
        _heartbeat?.Dispose();
        bool completed;
        lock (_manifestGate)
        {
            completed = _completed;
        }

        if (!completed)
        {
            Abandon(new InvalidOperationException("the run was disposed before it completed"));
        }

        _events.Dispose();
        ReleaseReserve();
        lock (_logDirectoryGate)
        {
            _commandsDirectory?.Dispose();
        }

        _directory.Dispose();
    }

    /// <summary>
    /// Creates a command's raw log (<paramref name="relativePath"/> under the run directory, e.g.
    /// <c>commands/001-build.stdout.log</c>) through the run's verified directory handle: never
    /// through a link, never over an existing file.
    /// </summary>
    internal Microsoft.Win32.SafeHandles.SafeFileHandle CreateLogFile(string relativePath)
    {
        string[] parts = relativePath.Split('/');
        if (parts is not [RunPaths.CommandsDirectoryName, var name])
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest, $"A raw log belongs in {RunPaths.CommandsDirectoryName}/: '{relativePath}'.");
        }

        SafeDirectory commands;
        lock (_logDirectoryGate)
        {
            commands = _commandsDirectory ??= _directory.OpenDirectory(RunPaths.CommandsDirectoryName);
        }

        // Read access lets the recorder read the tail back after the kernel spliced bytes into the log.
        return commands.OpenFileHandle(name, LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL);
    }

    private static InstructionSet LoadInstructions(string cwd, RunOptions options)
    {
        try
        {
            return InstructionLoader.Load(new InstructionOptions(cwd), options.EnvironmentReader ?? System.Environment.GetEnvironmentVariable);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            // The loader turns every file problem into a warning; whatever still escapes costs the record, not the run.
            return new InstructionSet(string.Empty, Instructions.InstructionComposer.EmptyTextHash, [], [$"{cwd}: instructions could not be loaded: {ex.Message}"], false);
        }
    }

    private void WriteManifestOrThrow(RunManifest manifest, bool durable)
    {
        try
        {
            WriteManifest(_directory, manifest, durable);
        }
        catch (IOException ex) when (ex.HResult == LibC.ENOSPC && _reserved)
        {
            // The disk is full: give back the reserve so the record can still say what happened.
            ReleaseReserve();
            try
            {
                WriteManifest(_directory, manifest, durable);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                throw RecordFailure(again);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw RecordFailure(ex);
        }
    }

    private void ReleaseReserve()
    {
        if (_reserved)
        {
            _reserved = false;
            _directory.TryUnlink(ReserveFileName);
        }
    }

    /// <summary>A record that could not be written (a full disk, an I/O error), as the code every door maps (CLI 73, ORCH0002).</summary>
    private static OrchestratorException RecordFailure(Exception ex) =>
        new(OrchestratorErrorCode.RunsRootNotWritable, $"The run record could not be written: {ex.Message}", ex);

    private static void WriteManifest(SafeDirectory directory, RunManifest manifest, bool durable)
    {
        // Manifest writes of one recorder are serialized by its gate; the buffer is per thread only
        // because several recorders (an SDK caller's concurrent runs) may write at once.
        // A dropped buffer comes back at the last size plus a quarter: a long run's manifest then
        // costs one allocation per write instead of a chain of doublings from 16 KiB.
        var buffer = t_manifestBuffer ??= new ArrayBufferWriter<byte>(Math.Max(16 * 1024, t_lastManifestLength + (t_lastManifestLength / 4)));
        buffer.ResetWrittenCount();
        ManifestSerializer.Write(buffer, manifest);
        AtomicFile.Write(directory, RunPaths.ManifestFileName, buffer.WrittenSpan, durable);
        t_lastManifestLength = buffer.WrittenCount;
        if (buffer.Capacity > 1024 * 1024)
        {
            t_manifestBuffer = null; // one huge manifest should not pin its buffer for the thread's life
        }
    }

    private void Beat()
    {
        try
        {
            lock (_manifestGate)
            {
                if (_completed)
                {
                    return;
                }

                var now = DateTimeOffset.UtcNow;
                _manifest = _manifest with { HeartbeatAt = now, UpdatedAt = now };
                WriteManifest(_directory, _manifest, durable: false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OrchestratorException)
        {
            // A missed heartbeat only makes the run look older; the next state change writes again.
        }
    }

    /// <summary>
    /// Creates <c>&lt;runs-root&gt;/&lt;task-id&gt;/cli/&lt;run-id&gt;</c> one directory at a time
    /// beneath the runs root's parent, never through a link, and returns the run directory's handle:
    /// every later write of the run is relative to it.
    /// </summary>
    private static (RunPaths Paths, SafeDirectory Directory) CreateRunDirectory(string runsRoot, string taskId)
    {
        string taskRuns = RunPaths.TaskRunsDirectory(runsRoot, taskId);
        SafeDirectory cli;
        try
        {
            cli = SafeDirectory.Open(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runsRoot))) ?? runsRoot, taskRuns, create: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(runsRoot, ex);
        }

        using (cli)
        {
            for (int attempt = 0; attempt < 8; attempt++)
            {
                var paths = new RunPaths(runsRoot, taskId, Runs.RunId.New(DateTimeOffset.UtcNow));
                try
                {
                    if (cli.TryMakeDirectory(paths.RunId))
                    {
                        // commands/ appears with the first raw log
                        return (paths, cli.TryOpenDirectory(paths.RunId, create: false)
                            ?? throw new IOException($"'{paths.RunDirectory}' went away as it was created."));
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw NotWritable(runsRoot, ex);
                }
            }
        }

        throw new OrchestratorException(OrchestratorErrorCode.RunsRootNotWritable, $"Could not allocate a unique run directory under '{taskRuns}'.");
    }

    private static OrchestratorException NotWritable(string runsRoot, Exception ex) =>
        new(OrchestratorErrorCode.RunsRootNotWritable, $"The runs root '{runsRoot}' is not writable: {ex.Message}", ex);
}
