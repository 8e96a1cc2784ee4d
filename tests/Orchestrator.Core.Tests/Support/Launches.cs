using System.Collections.Immutable;
using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Tests.Support;

/// <summary>Builds process launches the way the runtime does (PATH lookup, inherited environment).</summary>
public static class Launches
{
    public static ProcessLaunch Shell(string line, string? cwd = null, IReadOnlyDictionary<string, string?>? overlay = null) =>
        Argv(["/bin/sh", "-c", line], cwd, overlay);

    public static ProcessLaunch Argv(string[] argv, string? cwd = null, IReadOnlyDictionary<string, string?>? overlay = null)
    {
        string directory = cwd ?? Directory.GetCurrentDirectory();
        var environment = EnvironmentBuilder.Compose(overlay);
        environment.TryGetValue("PATH", out string? path);
        var (program, error) = ProgramResolver.Resolve(argv[0], directory, path);
        Assert.IsNull(error, error?.Message);
        return new ProcessLaunch(program!, [.. argv], directory, EnvironmentBuilder.ToEntries(environment));
    }

    public static ProcessLimits Limits(double? timeoutSeconds = null, double graceSeconds = 2, double drainSeconds = 2) =>
        new(timeoutSeconds is double t ? TimeSpan.FromSeconds(t) : null, TimeSpan.FromSeconds(graceSeconds), TimeSpan.FromSeconds(drainSeconds));

    public static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid}") && !IsZombie(pid);

    /// <summary>
    /// Live processes on the host whose command line holds <paramref name="token"/>. A sandboxed
    /// command sees pids of its own PID namespace, so tests find its processes by a unique argument.
    /// </summary>
    public static IReadOnlyList<int> ProcessesWith(string token)
    {
        var found = new List<int>();
        foreach (string entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out int pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(entry, "cmdline")).Contains(token, StringComparison.Ordinal) && !IsZombie(pid))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }

    /// <summary>Waits up to <paramref name="seconds"/> for every process holding <paramref name="token"/> to be gone; returns those left.</summary>
    public static async Task<IReadOnlyList<int>> SurvivorsAfterAsync(string token, double seconds = 5)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        IReadOnlyList<int> left;
        while ((left = ProcessesWith(token)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return left;
    }

    /// <summary>A <c>sleep</c> argument no other process has: seconds with a random fraction.</summary>
    public static string UniqueSleep(int seconds = 300) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{seconds}.{Random.Shared.Next(100_000, 999_999)}");

    private static bool IsZombie(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && stat.Length > close + 2 && stat[close + 2] == 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static ImmutableDictionary<string, string?> Env(params (string Key, string? Value)[] pairs) =>
        pairs.ToImmutableDictionary(p => p.Key, p => p.Value);
}
