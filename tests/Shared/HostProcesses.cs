using System.Globalization;

namespace Orchestrator.Tests.Shared;

/// <summary>
/// Finds processes on the host by a unique argument: a sandboxed command sees pids of its own
/// PID namespace, so what it prints cannot name its processes here.
/// </summary>
public static class HostProcesses
{
    /// <summary>A <c>sleep</c> argument no other process has: seconds with a random fraction.</summary>
    public static string UniqueSleep(int seconds = 300) =>
        string.Create(CultureInfo.InvariantCulture, $"{seconds}.{Random.Shared.Next(100_000, 999_999)}");

    public static IReadOnlyList<int> With(string token)
    {
        var found = new List<int>();
        foreach (string entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(entry, "cmdline")).Contains(token, StringComparison.Ordinal) && IsLive(pid))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // It ended while we looked.
            }
        }

        return found;
    }

    /// <summary>True while the process exists and is not a zombie waiting to be reaped.</summary>
    public static bool IsLive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return !(close > 0 && stat.Length > close + 2 && stat[close + 2] == 'Z');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Waits up to <paramref name="seconds"/> for the processes holding <paramref name="token"/> to end; returns those left.</summary>
    public static async Task<IReadOnlyList<int>> SurvivorsAsync(string token, double seconds = 5)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        IReadOnlyList<int> left;
        while ((left = With(token)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return left;
    }

    /// <summary>Waits until a process holding <paramref name="token"/> runs.</summary>
    public static async Task<bool> AppearsAsync(string token, double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (With(token).Count > 0)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
