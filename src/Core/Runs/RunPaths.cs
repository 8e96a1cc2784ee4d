namespace Orchestrator.Core.Runs;

/// <summary>
/// Where a run lives on disk: <c>&lt;runs-root&gt;/&lt;task-id&gt;/cli/&lt;run-id&gt;/</c> holding
/// <c>manifest.json</c>, <c>events.jsonl</c> and <c>commands/</c>. Every path is checked to stay
/// inside the runs root.
/// </summary>
public sealed record RunPaths
{
    public const string ManifestFileName = "manifest.json";
    public const string EventsFileName = "events.jsonl";
    public const string CommandsDirectoryName = "commands";

    /// <summary>The fixed segment between task and run id, kept from the seed's layout.</summary>
    public const string RunsSegment = "cli";

    public RunPaths(string runsRoot, string taskId, string runId)
    {
        RunsRoot = Path.GetFullPath(runsRoot);
        TaskId = Runs.TaskId.Validate(taskId);
        RunId = Runs.RunId.Validate(runId);
        TaskDirectory = Path.Combine(RunsRoot, TaskId);
        RunDirectory = Path.Combine(TaskDirectory, RunsSegment, RunId);
        EnsureInside(RunsRoot, RunDirectory);
    }

    public string RunsRoot { get; }

    public string TaskId { get; }

    public string RunId { get; }

    public string TaskDirectory { get; }

    public string RunDirectory { get; }

    public string ManifestPath => Path.Combine(RunDirectory, ManifestFileName);

    public string EventsPath => Path.Combine(RunDirectory, EventsFileName);

    public string CommandsDirectory => Path.Combine(RunDirectory, CommandsDirectoryName);

    /// <summary>The directory holding every run of the task.</summary>
    public static string TaskRunsDirectory(string runsRoot, string taskId) =>
        Path.Combine(Path.GetFullPath(runsRoot), Runs.TaskId.Validate(taskId), RunsSegment);

    /// <summary>A command's raw log, relative to the run directory: <c>commands/001-build.stdout.log</c>.</summary>
    public static string CommandLogRelativePath(int index, string commandId, string stream) =>
        $"{CommandsDirectoryName}/{index:D3}-{commandId}.{stream}.log";

    public string Resolve(string relativePath)
    {
        string full = Path.GetFullPath(Path.Combine(RunDirectory, relativePath));
        EnsureInside(RunDirectory, full);
        return full;
    }

    private static void EnsureInside(string root, string path)
    {
        string prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest, $"The path '{path}' would leave '{root}'.");
        }
    }
}
