using System.Globalization;

namespace Orchestrator.Core.Exec;

/// <summary>Looks at a process group through /proc (Linux) to tell live members from zombies.</summary>
internal static class ProcessGroup
{
    /// <summary>
    /// True when some process of the group is still running. kill(-pgid, 0) cannot tell: it also
    /// succeeds for zombies waiting to be reaped, which have already ended.
    /// </summary>
    public static bool HasLiveMembers(int pgid)
    {
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            string name = Path.GetFileName(directory);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // the process ended while we looked
            }

            // pid (comm) state ppid pgrp ...; comm may contain spaces and parentheses, so parse after the last ')'.
            int close = stat.LastIndexOf(')');
            if (close < 0)
            {
                continue;
            }

            string[] fields = stat[(close + 2)..].Split(' ', 4);
            if (fields.Length >= 3 &&
                fields[0] != "Z" && fields[0] != "X" &&
                int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out int group) &&
                group == pgid)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The live processes of a session (setsid) other than zombies: what a terminal's shell and its
    /// jobs have started, including background jobs in process groups of their own.
    /// </summary>
    public static List<int> SessionMembers(int sid)
    {
        var members = new List<int>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            string name = Path.GetFileName(directory);
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            // pid (comm) state ppid pgrp session ...
            int close = stat.LastIndexOf(')');
            if (close < 0)
            {
                continue;
            }

            string[] fields = stat[(close + 2)..].Split(' ', 5);
            if (fields.Length >= 4 &&
                fields[0] != "Z" && fields[0] != "X" &&
                int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out int session) &&
                session == sid &&
                int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                members.Add(pid);
            }
        }

        return members;
    }
}
