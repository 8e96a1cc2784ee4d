using System.Diagnostics;

namespace Orchestrator.Core.Tests.Support;

/// <summary>Runs Orchestrator.TestTool (built beside the tests) as a separate process.</summary>
public static class TestTool
{
    public static string AssemblyPath => Path.Combine(AppContext.BaseDirectory, "Orchestrator.TestTool.dll");

    /// <summary>A start info for <c>dotnet Orchestrator.TestTool.dll args...</c>, optionally under another program (e.g. setpriv).</summary>
    /// <param name="assemblyPath">A copy of the tool elsewhere (default: the one beside the tests).</param>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IEnumerable<string>? prefix = null, string? assemblyPath = null)
    {
        var all = new List<string>(prefix ?? []);
        string program = all.Count > 0 ? all[0] : "dotnet";
        var rest = all.Count > 0 ? all.Skip(1).ToList() : [];
        if (all.Count > 0)
        {
            rest.Add("dotnet");
        }

        rest.Add(assemblyPath ?? AssemblyPath);
        rest.AddRange(args);
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in rest)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return info;
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IEnumerable<string> args, IEnumerable<string>? prefix = null, string? assemblyPath = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = StartInfo(args, prefix, assemblyPath);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
