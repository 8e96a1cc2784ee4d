using System.Collections.Concurrent;
using System.Diagnostics;

namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>
/// Finds bwrap and checks, once per process and bwrap path, that it can actually build a sandbox
/// here (a container without user or mount namespaces has bwrap but cannot use it).
/// </summary>
public static class BubblewrapProbe
{
    public const string ExecutableName = "bwrap";

    public const string OverrideVariable = "ORCHESTRATOR_BWRAP";

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

        return Cache.GetOrAdd(path, RunProbe);
    }

    private static SandboxAvailability RunProbe(string path)
    {
        try
        {
            var (versionExit, version, _) = Run(path, ["--version"]);
            var (exit, _, stderr) = Run(path, ["--ro-bind", "/", "/", "--dev", "/dev", "--tmpfs", "/tmp", "--unshare-net", "--die-with-parent", "--", "/bin/true"]);
            if (exit == 0)
            {
                return new SandboxAvailability(SandboxAvailabilityState.Available, path, versionExit == 0 ? version.Trim() : null, null);
            }

            return new SandboxAvailability(SandboxAvailabilityState.Failed, path, versionExit == 0 ? version.Trim() : null,
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
