using System.Diagnostics;
using Orchestrator.Core.Events;
using Orchestrator.Core.Instructions;

namespace Orchestrator.Core.Runs;

/// <summary>
/// Owns one run's record: keeps the manifest (rewritten atomically on every state change and on
/// each heartbeat) in its <see cref="RunFolder"/>, appends events to events.jsonl and hands them to
/// the door's sinks (<see cref="EventFanOut"/>), tells the task state (<see cref="TaskStateRecorder"/>)
/// how the run stands, and closes everything with a <c>run:summary</c> and the events hash.
/// </summary>
public sealed class RunRecorder : IDisposable
{
    private readonly Lock _manifestGate = new();
    private readonly Lock _emitGate = new();
    private readonly RunFolder _folder;
    private readonly JsonlEventWriter _events;
    private readonly EventFanOut _fanOut;
    private readonly Timer? _heartbeat;
    private readonly long _startedTimestamp;
    private RunManifest _manifest;
    private int _nextIndex;
    private int _nextToolRun;
    private bool _completed;

    private RunRecorder(RunFolder folder, RunOptions options, RunManifest manifest, JsonlEventWriter events)
    {
        _folder = folder;
        Options = options;
        _manifest = manifest;
        _events = events;
        _fanOut = new EventFanOut(options.Sinks);
        _startedTimestamp = Stopwatch.GetTimestamp();
        if (options.HeartbeatInterval > TimeSpan.Zero)
        {
            _heartbeat = new Timer(static state => ((RunRecorder)state!).Beat(), this, options.HeartbeatInterval, options.HeartbeatInterval);
        }
    }

    public RunPaths Paths => _folder.Paths;

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
                return _fanOut.Errors;
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
        InstructionSet instructions = FirstManifest.LoadInstructions(cwd, options);
        var folder = RunFolder.Create(runsRoot, taskId);
        RunPaths paths = folder.Paths;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var manifest = FirstManifest.Of(options, paths, cwd, instructions, now);
        if (initial is not null)
        {
            manifest = initial(manifest) with { UpdatedAt = now };
        }

        JsonlEventWriter events;
        try
        {
            events = folder.Begin(manifest);
        }
        catch
        {
            folder.Dispose();
            throw;
        }

        var recorder = new RunRecorder(folder, options, manifest, events);
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
    public RunManifest UpsertToolRun(ToolRunRecord toolRun) => Update(m => ManifestEdits.WithToolRun(m, toolRun));

    /// <summary>Writes a command's record and its tool run's record as one state change.</summary>
    public RunManifest UpsertCommandAndToolRun(CommandRecord? command, ToolRunRecord toolRun) =>
        Update(m => ManifestEdits.WithToolRun(command is null ? m : ManifestEdits.WithCommand(m, command), toolRun));

    /// <summary>Records a session's state, and handles' states, in one write (by id).</summary>
    public RunManifest UpsertSessionsAndHandles(IEnumerable<SessionRecord> sessions, IEnumerable<HandleRecord> handles) =>
        Update(m => ManifestEdits.WithSessionsAndHandles(m, sessions, handles));

    /// <summary>
    /// Records sessions and handles (as <see cref="UpsertSessionsAndHandles"/>) in memory only: for a
    /// change that belongs to a state change the caller writes next (a command's end, written with its
    /// tool run). Any later write (an update, a heartbeat, completion) carries it.
    /// </summary>
    internal void StageSessionsAndHandles(IEnumerable<SessionRecord> sessions, IEnumerable<HandleRecord> handles)
    {
        lock (_manifestGate)
        {
            _manifest = ManifestEdits.WithSessionsAndHandles(_manifest, sessions, handles);
        }
    }

    /// <summary>Records sessions, handles and a command record in one write (a command's end outside a tool run).</summary>
    internal RunManifest UpsertCommandSessionsAndHandles(CommandRecord command, IEnumerable<SessionRecord> sessions, IEnumerable<HandleRecord> handles) =>
        Update(m => ManifestEdits.WithCommand(ManifestEdits.WithSessionsAndHandles(m, sessions, handles), command));

    public RunManifest AddApproval(ApprovalRecord approval) => Update(m => m with { Approvals = [.. m.Approvals, approval] });

    /// <summary>Records a warning once (the same code and message are not repeated).</summary>
    public RunManifest AddWarning(RunWarning warning) => Update(m => ManifestEdits.WithWarning(m, warning));

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
                throw RunFolder.RecordFailure(ex);
            }

            _fanOut.Deliver(executionEvent, line);
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
            _folder.WriteManifestOrThrow(_manifest, durable: false);
            return _manifest;
        }
    }

    /// <summary>Adds or replaces (by index) a command record.</summary>
    public RunManifest UpsertCommand(CommandRecord command) => Update(m => ManifestEdits.WithCommand(m, command));

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
                Commands = ManifestEdits.Counts(manifest.Commands),
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
                _folder.WriteManifestOrThrow(_manifest, Options.DurableWrites);
            }
            catch (OrchestratorException)
            {
                // The task state still learns how the run ended (out/ may be on another disk).
                _folder.ReleaseReserve();
                TryAppendTaskState(_manifest);
                throw;
            }

            _folder.ReleaseReserve();
        }

        // After the final manifest is on disk, so the line never points at a run still in progress.
        AppendTaskState(Manifest);
        if (_events.Failure is { } lostEvents)
        {
            // The manifest says it all; the door still has to fail with the reason.
            throw RunFolder.RecordFailure(lostEvents);
        }

        return Manifest;
    }

    /// <summary>The task state root of a run: the option, else <c>out</c> beside the runs root.</summary>
    public static string StateRootFor(RunOptions options, string runsRoot) => TaskStateRecorder.StateRootFor(options, runsRoot);

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
            TaskStateRecorder.Append(Options, Paths, manifest);
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
                    _folder.WriteManifest(_manifest, Options.DurableWrites);
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
        _folder.Dispose();
    }

    /// <summary>
    /// Creates a command's raw log (<paramref name="relativePath"/> under the run directory, e.g.
    /// <c>commands/001-build.stdout.log</c>) through the run's verified directory handle: never
    /// through a link, never over an existing file.
    /// </summary>
    internal Microsoft.Win32.SafeHandles.SafeFileHandle CreateLogFile(string relativePath) => _folder.CreateLogFile(relativePath);

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
                _folder.WriteManifest(_manifest, durable: false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OrchestratorException)
        {
            // A missed heartbeat only makes the run look older; the next state change writes again.
        }
    }
}
