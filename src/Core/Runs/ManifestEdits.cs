using Orchestrator.Core.Events;

namespace Orchestrator.Core.Runs;

/// <summary>
/// The manifest changes a run makes, as pure functions of the manifest: records are added, or
/// replaced by their key (a command by index, a tool run, session or handle by id), in the order
/// they first appeared.
/// </summary>
internal static class ManifestEdits
{
    public static RunManifest WithToolRun(RunManifest m, ToolRunRecord toolRun) =>
        m with { ToolRuns = Upsert(m.ToolRuns, toolRun, t => t.Id == toolRun.Id) };

    public static RunManifest WithCommand(RunManifest m, CommandRecord command) =>
        m with { Commands = Upsert(m.Commands, command, c => c.Index == command.Index) };

    public static RunManifest WithSessionsAndHandles(RunManifest m, IEnumerable<SessionRecord> sessions, IEnumerable<HandleRecord> handles)
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

        var handleList = m.Handles;
        foreach (var handle in handles)
        {
            handleList = Upsert(handleList, handle, h => h.HandleId == handle.HandleId);
        }

        return m with { Sessions = sessionList, Handles = handleList };
    }

    /// <summary>Records a warning once (the same code and message are not repeated).</summary>
    public static RunManifest WithWarning(RunManifest m, RunWarning warning) =>
        m.Warnings.Contains(warning) ? m : m with { Warnings = [.. m.Warnings, warning] };

    /// <summary>The commands of a run by status, for its <c>run:summary</c>.</summary>
    public static CommandCounts Counts(IEnumerable<CommandRecord> commands)
    {
        int total = 0, succeeded = 0, failed = 0, timedOut = 0, cancelled = 0, skipped = 0;
        foreach (var command in commands)
        {
            total++;
            switch (command.Status)
            {
                case CommandStatus.Succeeded: succeeded++; break;
                case CommandStatus.Failed: failed++; break;
                case CommandStatus.TimedOut: timedOut++; break;
                case CommandStatus.Cancelled: cancelled++; break;
                case CommandStatus.Skipped: skipped++; break;
            }
        }

        return new CommandCounts(total, succeeded, failed, timedOut, cancelled, skipped);
    }

    private static List<T> Upsert<T>(IReadOnlyList<T> items, T item, Predicate<T> sameKey)
    {
        var list = items.ToList();
        int at = list.FindIndex(sameKey);
        if (at >= 0)
        {
            list[at] = item;
        }
        else
        {
            list.Add(item);
        }

        return list;
    }
}
