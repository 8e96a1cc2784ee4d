namespace Orchestrator.Core.Runs;

/// <summary>Commands of a run by status.</summary>
public sealed record CommandCounts(int Total, int Succeeded, int Failed, int TimedOut, int Cancelled, int Skipped)
{
    public static CommandCounts From(IEnumerable<CommandRecord> commands)
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
}
