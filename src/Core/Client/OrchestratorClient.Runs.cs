using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Events;
using Orchestrator.Core.Json;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Runs.State;

namespace Orchestrator.Core;

public sealed partial class OrchestratorClient
{
    /// <summary>Reads a run's manifest.json into a <see cref="RunManifest"/>.</summary>
    /// <exception cref="OrchestratorException">
    /// <see cref="OrchestratorErrorCode.RunNotFound"/> when the file does not exist;
    /// <see cref="OrchestratorErrorCode.CorruptRunRecord"/> when it is not a manifest.
    /// </exception>
    public async Task<RunManifest> ReadManifestAsync(string manifestPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(manifestPath);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new OrchestratorException(OrchestratorErrorCode.RunNotFound, $"No manifest at '{manifestPath}'.", ex);
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, JsonDefaults.Manifest.RunManifest)
                ?? throw new JsonException("the manifest is null");
        }
        catch (JsonException ex)
        {
            throw new OrchestratorException(OrchestratorErrorCode.CorruptRunRecord, $"'{manifestPath}' is not a run manifest: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Reads an events.jsonl back as typed events, in order, streaming (one line in memory at a time).
    /// A last line without its newline that does not parse (a writer stopped mid-line, or a run still
    /// writing) is skipped; any other line that does not parse is an error. Event types this version
    /// does not know come back with an <see cref="UnknownPayload"/>.
    /// </summary>
    /// <exception cref="OrchestratorException">
    /// <see cref="OrchestratorErrorCode.RunNotFound"/> when the file does not exist;
    /// <see cref="OrchestratorErrorCode.CorruptRunRecord"/> naming the line that does not parse.
    /// </exception>
    public async IAsyncEnumerable<ExecEvent> ReplayEventsAsync(string eventsPath, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventsPath);
        FileStream stream;
        try
        {
            stream = new FileStream(eventsPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, useAsync: true);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new OrchestratorException(OrchestratorErrorCode.RunNotFound, $"No events file at '{eventsPath}'.", ex);
        }

        await using (stream.ConfigureAwait(false))
        {
            var lines = new JsonlLineReader(stream);
            long lineNumber = 0;
            while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                lineNumber++;
                ExecEvent? parsed;
                try
                {
                    parsed = JsonSerializer.Deserialize(line.Bytes.Span, JsonDefaults.Events.ExecEvent);
                }
                catch (JsonException ex)
                {
                    if (!line.Terminated)
                    {
                        yield break;
                    }

                    throw new OrchestratorException(OrchestratorErrorCode.CorruptRunRecord,
                        $"{eventsPath}:{lineNumber}: not an event: {ex.Message}", ex);
                }

                if (parsed is not null)
                {
                    yield return parsed;
                }
            }
        }
    }

    /// <summary>
    /// The most recently started run of a task: from the task's state file (<c>out/&lt;task&gt;/runs.jsonl</c>)
    /// when it has entries, else by listing <c>&lt;runs-root&gt;/&lt;task&gt;/cli/*/manifest.json</c> (run ids sort
    /// by start time). Null when the task has no run.
    /// </summary>
    /// <param name="taskId">The task; validated (a task id never steers a path outside the roots).</param>
    /// <param name="runsRoot">Default: <c>.runs</c> at the workspace root of <paramref name="workingDirectory"/>.</param>
    /// <param name="workingDirectory">Default: the current directory.</param>
    /// <param name="stateRoot">Default: <c>out</c> beside the runs root, where runs append their state.</param>
    public RunReference? FindLatestRun(string taskId, string? runsRoot = null, string? workingDirectory = null, string? stateRoot = null)
    {
        TaskId.Validate(taskId);
        string cwd = Path.GetFullPath(workingDirectory ?? Environment.CurrentDirectory);
        string root = string.IsNullOrEmpty(runsRoot) ? WorkspaceLocator.DefaultRunsRoot(cwd) : Path.GetFullPath(runsRoot, cwd);

        // Where runs append their state by default: out/ beside the runs root.
        stateRoot = stateRoot is null ? RunRecorder.StateRootFor(new RunOptions(), root) : Path.GetFullPath(stateRoot, cwd);
        var store = TaskStateStore.Open(stateRoot, taskId);

        // Only lines naming this task's own run folders are believed: a line anyone could append
        // (a far-future run id, a manifest elsewhere) must not decide what "latest" is.
        if (store.LatestTrustedRun(root) is { } entry)
        {
            return new RunReference(taskId, entry.RunId, store.ResolveManifestPath(entry), entry.Status, "task-state") { Warnings = store.Warnings };
        }

        IReadOnlyList<RunWarning> warnings = store.Warnings;

        string directory = RunPaths.TaskRunsDirectory(root, taskId);
        if (!Directory.Exists(directory))
        {
            return null;
        }

        // Scanned like the task state: a run folder that is a link, or named for the future, is not believed.
        var at = DateTimeOffset.UtcNow;
        string? latest = null;
        foreach (string candidate in Directory.EnumerateDirectories(directory))
        {
            string name = Path.GetFileName(candidate);
            if (RunId.IsValid(name) && File.Exists(Path.Combine(candidate, RunPaths.ManifestFileName)) &&
                (latest is null || string.CompareOrdinal(name, latest) > 0) &&
                TaskStateTrust.Problem(ScanEntry(name, candidate), Path.Combine(candidate, RunPaths.ManifestFileName), root, taskId, at) is null)
            {
                latest = name;
            }
        }

        if (latest is null)
        {
            return null;
        }

        string manifestPath = new RunPaths(root, taskId, latest).ManifestPath;
        return new RunReference(taskId, latest, manifestPath, ReadStatus(manifestPath), "scan") { Warnings = warnings };
    }

    private static TaskStateEntry ScanEntry(string runId, string runDirectory) => new()
    {
        RunId = runId,
        Status = RunStatus.InProgress,
        Runner = RunnerKind.Cli,
        ManifestPath = Path.Combine(runDirectory, RunPaths.ManifestFileName),
    };

    private static RunStatus ReadStatus(string manifestPath)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
            return document.RootElement.TryGetProperty("status", out JsonElement status) && status.ValueKind == JsonValueKind.String
                ? JsonSerializer.Deserialize(status, JsonDefaults.Manifest.RunStatus)
                : RunStatus.InProgress;
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            throw new OrchestratorException(OrchestratorErrorCode.CorruptRunRecord, $"'{manifestPath}' is not a run manifest: {ex.Message}", ex);
        }
    }
}
