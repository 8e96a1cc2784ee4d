using System.Diagnostics;
using System.Reflection;

namespace Orchestrator.Cli.Tests.Support;

/// <summary>What a finished CLI process left: its exit code and everything it wrote.</summary>
public sealed record CliOutcome(int ExitCode, string Stdout, string Stderr)
{
    public IReadOnlyList<string> StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Starts the built `orchestrator` (its apphost, as a user would) with stdin closed.</summary>
public static class CliProcess
{
    private static readonly Dictionary<string, string> DotnetEnvironment = new()
    {
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    public static string CliPath { get; } = BuiltFile("OrchestratorCli");

    public static string SdkSamplePath { get; } = BuiltFile("SdkSample");

    /// <summary>The clone the tests were built from (ends in '/').</summary>
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public static ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? program = null)
    {
        var info = new ProcessStartInfo(program ?? CliPath)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A run must not pick up the test host's task id.
        info.Environment.Remove("MCP_RUNNER_TASK_ID");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return info;
    }

    public static Process Start(string workingDirectory, params string[] args)
    {
        var process = Process.Start(StartInfo(workingDirectory, args))!;
        process.StandardInput.Close();
        return process;
    }

    public static Task<CliOutcome> RunAsync(string workingDirectory, params string[] args) =>
        RunAsync(StartInfo(workingDirectory, args));

    /// <summary>Runs the dotnet CLI itself (pack, publish, tool install) without node reuse or first-run noise.</summary>
    public static Task<CliOutcome> RunDotnetAsync(string workingDirectory, params string[] args) =>
        RunAsync(StartInfo(workingDirectory, args, DotnetEnvironment, program: "dotnet"));

    public static async Task<CliOutcome> RunAsync(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliOutcome(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Sends a signal to a process, as Ctrl+C or `kill` would.</summary>
    public static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.AreEqual(0, kill.ExitCode, $"kill -{signal} {pid} failed");
    }

    // What the test project's build recorded (Orchestrator.Cli.Tests.csproj).
    private static string Metadata(string key) =>
        typeof(CliProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static string BuiltFile(string key)
    {
        string path = Metadata(key);
        Assert.IsTrue(File.Exists(path), $"{path} is not built");
        return path;
    }
}
