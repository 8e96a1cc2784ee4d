using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Orchestrator.Core.Events;
using Orchestrator.Core.Json;
using Orchestrator.Core.Native;

namespace Orchestrator.Core.Runs;

/// <summary>
/// A run's directory, <c>&lt;runs-root&gt;/&lt;task-id&gt;/cli/&lt;run-id&gt;</c>, held by a verified
/// handle: the manifest, events.jsonl and the raw logs are written relative to it, never through a
/// link a command planted. While the run is open it also holds a little space in reserve, so a run
/// that fills its disk can still write the manifest that says so.
/// </summary>
internal sealed class RunFolder : IDisposable
{
    /// <summary>Enough for the manifest of a run of many commands.</summary>
    private const long ReserveBytes = 128 * 1024;

    private const string ReserveFileName = ".space-reserve";

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_manifestBuffer;

    [ThreadStatic]
    private static int t_lastManifestLength;

    private readonly SafeDirectory _directory;
    private readonly Lock _commandsGate = new();
    private SafeDirectory? _commands;
    private bool _reserved;

    private RunFolder(RunPaths paths, SafeDirectory directory)
    {
        Paths = paths;
        _directory = directory;
    }

    public RunPaths Paths { get; }

    /// <summary>
    /// Creates the run directory one level at a time beneath the runs root's parent, never through a
    /// link, under a fresh run id (retried if another run took it).
    /// </summary>
    /// <exception cref="OrchestratorException"><see cref="OrchestratorErrorCode.RunsRootNotWritable"/>.</exception>
    public static RunFolder Create(string runsRoot, string taskId)
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
                var paths = new RunPaths(runsRoot, taskId, RunId.New(DateTimeOffset.UtcNow));
                try
                {
                    if (cli.TryMakeDirectory(paths.RunId))
                    {
                        // commands/ appears with the first raw log
                        return new RunFolder(paths, cli.TryOpenDirectory(paths.RunId, create: false)
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

    /// <summary>Writes the first manifest and opens events.jsonl; a failure is the runs root's.</summary>
    /// <exception cref="OrchestratorException"><see cref="OrchestratorErrorCode.RunsRootNotWritable"/>.</exception>
    public JsonlEventWriter Begin(RunManifest manifest)
    {
        try
        {
            WriteManifest(manifest, durable: false);
            var events = new JsonlEventWriter(_directory, RunPaths.EventsFileName);
            _reserved = _directory.TryReserve(ReserveFileName, ReserveBytes);
            return events;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(Paths.RunsRoot, ex);
        }
    }

    /// <summary>Rewrites manifest.json atomically; I/O errors are the caller's to judge.</summary>
    public void WriteManifest(RunManifest manifest, bool durable)
    {
        // Manifest writes of one run are serialized by its recorder; the buffer is per thread only
        // because several recorders (an SDK caller's concurrent runs) may write at once.
        // A dropped buffer comes back at the last size plus a quarter: a long run's manifest then
        // costs one allocation per write instead of a chain of doublings from 16 KiB.
        var buffer = t_manifestBuffer ??= new ArrayBufferWriter<byte>(Math.Max(16 * 1024, t_lastManifestLength + (t_lastManifestLength / 4)));
        buffer.ResetWrittenCount();
        ManifestSerializer.Write(buffer, manifest);
        AtomicFile.Write(_directory, RunPaths.ManifestFileName, buffer.WrittenSpan, durable);
        t_lastManifestLength = buffer.WrittenCount;
        if (buffer.Capacity > 1024 * 1024)
        {
            t_manifestBuffer = null; // one huge manifest should not pin its buffer for the thread's life
        }
    }

    /// <summary>Rewrites manifest.json, giving back the reserve once if the disk is full.</summary>
    /// <exception cref="OrchestratorException"><see cref="OrchestratorErrorCode.RunsRootNotWritable"/>: the record could not be written.</exception>
    public void WriteManifestOrThrow(RunManifest manifest, bool durable)
    {
        try
        {
            WriteManifest(manifest, durable);
        }
        catch (IOException ex) when (ex.HResult == LibC.ENOSPC && _reserved)
        {
            // The disk is full: give back the reserve so the record can still say what happened.
            ReleaseReserve();
            try
            {
                WriteManifest(manifest, durable);
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

    /// <summary>Gives the reserved space back (the run has written its last manifest, or must).</summary>
    public void ReleaseReserve()
    {
        if (_reserved)
        {
            _reserved = false;
            _directory.TryUnlink(ReserveFileName);
        }
    }

    /// <summary>
    /// Creates a command's raw log (<paramref name="relativePath"/> under the run directory, e.g.
    /// <c>commands/001-build.stdout.log</c>): never through a link, never over an existing file.
    /// </summary>
    public SafeFileHandle CreateLogFile(string relativePath)
    {
        string[] parts = relativePath.Split('/');
        if (parts is not [RunPaths.CommandsDirectoryName, var name])
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest, $"A raw log belongs in {RunPaths.CommandsDirectoryName}/: '{relativePath}'.");
        }

        SafeDirectory commands;
        lock (_commandsGate)
        {
            commands = _commands ??= _directory.OpenDirectory(RunPaths.CommandsDirectoryName);
        }

        // Read access lets the recorder read the tail back after the kernel spliced bytes into the log.
        return commands.OpenFileHandle(name, LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL);
    }

    /// <summary>A record that could not be written (a full disk, an I/O error), as the code every door maps (CLI 73, ORCH0002).</summary>
    public static OrchestratorException RecordFailure(Exception ex) =>
        new(OrchestratorErrorCode.RunsRootNotWritable, $"The run record could not be written: {ex.Message}", ex);

    public void Dispose()
    {
        ReleaseReserve();
        lock (_commandsGate)
        {
            _commands?.Dispose();
        }

        _directory.Dispose();
    }

    private static OrchestratorException NotWritable(string runsRoot, Exception ex) =>
        new(OrchestratorErrorCode.RunsRootNotWritable, $"The runs root '{runsRoot}' is not writable: {ex.Message}", ex);
}
