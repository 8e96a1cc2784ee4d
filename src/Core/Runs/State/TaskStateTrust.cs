namespace Orchestrator.Core.Runs.State;

/// <summary>
/// Whether a line of a task's runs.jsonl may be believed. The file lies outside the runs root and
/// a line is only a claim: a line that names a run id of another shape, a run that starts in the
/// future, or a manifest anywhere but the run's own folder <c>&lt;runs-root&gt;/&lt;task&gt;/cli/&lt;run-id&gt;/manifest.json</c>
/// (reached through no symbolic link) was not written by a run of this task, and believing it
/// would let whoever wrote it choose what <c>status</c> and <c>resume</c> report.
/// </summary>
public static class TaskStateTrust
{
    /// <summary>How far ahead of this machine's clock a run id's start time may be (another writer's clock may run ahead).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Why the entry cannot be believed, or null when it can.</summary>
    /// <param name="manifestPath">The entry's manifest path resolved to a full path.</param>
    public static string? Problem(TaskStateEntry entry, string manifestPath, string runsRoot, string taskId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!RunId.IsValid(entry.RunId))
        {
            return $"its run id '{entry.RunId}' is not a run id";
        }

        if (entry.ParentRunId is not null && !RunId.IsValid(entry.ParentRunId))
        {
            return $"its parent run id '{entry.ParentRunId}' is not a run id";
        }

        if (!RunId.TryGetStartTime(entry.RunId, out DateTimeOffset started))
        {
            return $"its run id '{entry.RunId}' names no real time";
        }

        if (started > now + MaxClockSkew)
        {
            return $"its run id '{entry.RunId}' starts in the future ({started:u}, now {now:u})";
        }

        var own = new RunPaths(Path.GetFullPath(runsRoot), taskId, entry.RunId);
        if (!string.Equals(Path.GetFullPath(manifestPath), own.ManifestPath, StringComparison.Ordinal))
        {
            return $"its manifestPath '{entry.ManifestPath}' is not the run's own manifest {own.ManifestPath}";
        }

        // Each level below the runs root must be what it says: a link could point the run's folder elsewhere.
        foreach (string path in (string[])[own.TaskDirectory, Path.GetDirectoryName(own.RunDirectory)!, own.RunDirectory, own.ManifestPath])
        {
            FileSystemInfo info = path == own.ManifestPath ? new FileInfo(path) : new DirectoryInfo(path);
            if (info.LinkTarget is not null)
            {
                return $"'{path}' is a symbolic link (to '{info.LinkTarget}')";
            }
        }

        return null;
    }
}
