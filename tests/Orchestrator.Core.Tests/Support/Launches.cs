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

    public static bool ProcessExists(int pid) => Orchestrator.Tests.Shared.HostProcesses.IsLive(pid);

    public static ImmutableDictionary<string, string?> Env(params (string Key, string? Value)[] pairs) =>
        pairs.ToImmutableDictionary(p => p.Key, p => p.Value);
}
