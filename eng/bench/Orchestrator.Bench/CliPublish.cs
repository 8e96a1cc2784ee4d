namespace Orchestrator.Bench;

/// <summary>
/// The CLI as the start-up figure counts it: `dotnet publish src/Cli -c Release -r linux-x64`
/// (ReadyToRun, framework-dependent), into artifacts/bench/cli. Reused when already there; pass
/// `--cli &lt;path&gt;` to measure another build.
/// </summary>
public static class CliPublish
{
    public static string Ensure(string? given)
    {
        if (given is not null)
        {
            return Path.GetFullPath(given);
        }

        string root = Shell.RepositoryRoot();
        string output = Path.Combine(root, "artifacts", "bench", "cli");
        string cli = Path.Combine(output, "orchestrator");
        Console.WriteLine($"publishing the ReadyToRun CLI to {output} ...");
        Shell.RunChecked("dotnet", ["publish", Path.Combine(root, "src", "Cli"), "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo", "-v:q"], root);
        return cli;
    }

    public static string? Option(string[] args, string name)
    {
        int at = Array.IndexOf(args, "--" + name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
