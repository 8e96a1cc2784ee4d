using System.Collections.Concurrent;
using System.Diagnostics;

namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>
/// Finds bwrap and checks, once per process and bwrap path, that it can actually build a sandbox
/// here (a container without user or mount namespaces has bwrap but cannot use it). A success is
/// also remembered across processes for a while (<see cref="BubblewrapProbeCache"/>).
/// </summary>
public static class BubblewrapProbe
{
    public const string ExecutableName = "bwrap";

    public const string OverrideVariable = "ORCHESTRATOR_BWRAP";

    /// <summary>Changes whenever the probe asks bwrap for more, so an answer remembered for less is not reused.</summary>
    internal const string IsolationVersion = "userns-pidns-capdrop-1";

    private static readonly ConcurrentDictionary<string, SandboxAvailability> Cache = new(StringComparer.Ordinal);

    /// <summary>The bwrap to use: an explicit path, else ORCHESTRATOR_BWRAP, else the first on PATH.</summary>
    public static string? Locate(string? explicitPath, Func<string, string?> environment)
    {
        string? chosen = !string.IsNullOrEmpty(explicitPath) ? explicitPath : environment(OverrideVariable);
        if (!string.IsNullOrEmpty(chosen))
        {
            return File.Exists(chosen) ? Path.GetFullPath(chosen) : null;
        }

        foreach (string directory in (environment("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, ExecutableName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static SandboxAvailability Probe(string? explicitPath, Func<string, string?> environment)
    {
        string? path = Locate(explicitPath, environment);
        if (path is null)
        {
            string where = !string.IsNullOrEmpty(explicitPath) ? $"'{explicitPath}' does not exist"
                : environment(OverrideVariable) is { Length: > 0 } fromEnv ? $"{OverrideVariable}='{fromEnv}' does not exist"
                : "bwrap was not found on PATH";
            return new SandboxAvailability(SandboxAvailabilityState.Unavailable, null, null, $"{where}; {SandboxAvailability.InstallHint}");
        }

        return Cache.GetOrAdd(path, p => ProbeOrRemember(p, environment));
    }

    /// <summary>Forgets this process's answers (tests probe again after changing what the answer depends on).</summary>
    internal static void ForgetInProcess() => Cache.Clear();

    private static SandboxAvailability ProbeOrRemember(string path, Func<string, string?> environment)
    {
        if (OperatingSystem.IsWindows())
        {
            return RunProbe(path);
        }

        string? directory = BubblewrapProbeCache.Directory(environment);
        string? key = directory is null ? null : BubblewrapProbeCache.KeyFor(path);
        if (directory is not null && key is not null && BubblewrapProbeCache.TryRead(directory, key, DateTimeOffset.UtcNow, out string? remembered))
        {
            return new SandboxAvailability(SandboxAvailabilityState.Available, path, remembered, null);
        }

        var availability = RunProbe(path);
        if (availability.IsAvailable && directory is not null && key is not null)
        {
            BubblewrapProbeCache.RememberAvailable(directory, key, availability.Version);
        }

        return availability;
    }

    private static SandboxAvailability RunProbe(string path)
    {
        try
        {
            // Side by side: the version is only for the record, the sandbox test is the answer.
            var version = Task.Run(() => Run(path, ["--version"]));
            var (exit, _, stderr) = Run(path, [.. BubblewrapCommand.Isolation, "--unshare-net", "--die-with-parent", "--new-session", "--", "/bin/true"]);
            var (versionExit, versionText, _) = version.GetAwaiter().GetResult();
            if (exit == 0)
            {
                return new SandboxAvailability(SandboxAvailabilityState.Available, path, versionExit == 0 ? versionText.Trim() : null, null);
            }

            return new SandboxAvailability(SandboxAvailabilityState.Failed, path, versionExit == 0 ? versionText.Trim() : null,
                $"{path} cannot create a sandbox here (exit {exit}): {stderr.Trim()}");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return new SandboxAvailability(SandboxAvailabilityState.Failed, path, null, $"{path} could not be run: {ex.Message}");
        }
    }

    private static (int Exit, string Stdout, string Stderr) Run(string path, string[] args)
    {
        var info = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, string.Empty, "the probe did not finish in 10 s");
        }

        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
