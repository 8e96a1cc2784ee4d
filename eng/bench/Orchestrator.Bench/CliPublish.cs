namespace Orchestrator.Bench;

/// <summary>
/// The CLI as the start-up figure counts it. <see cref="Ensure"/>: the start-up build docs/cli.md
/// recommends, `dotnet publish src/Cli -c Release -r linux-x64 -p:OrchestratorSelfContained=true`
/// (self-contained, the framework trimmed, one composite ReadyToRun image of it and the CLI) into
/// artifacts/bench/cli. <see cref="EnsureFrameworkDependent"/>: the plain ReadyToRun publish against
/// the shared runtime, shown beside it. Pass `--cli &lt;path&gt;` to measure another build.
/// </summary>
public static class CliPublish
{
    public static string Ensure(string? given) =>
        given is not null ? Path.GetFullPath(given) : Publish("cli", "-p:OrchestratorSelfContained=true");

    public static string EnsureFrameworkDependent() => Publish("cli-fd");

    private static string Publish(string folder, params string[] properties)
    {
        string root = Shell.RepositoryRoot();
        string output = Path.Combine(root, "artifacts", "bench", folder);
        Console.WriteLine($"publishing the ReadyToRun CLI ({(properties.Length == 0 ? "framework-dependent" : string.Join(' ', properties))}) to {output} ...");

        // A publish adds to its folder and removes nothing: a file an earlier build published and
        // this one leaves out (the LTTng provider) would otherwise still be loaded.
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        Shell.RunChecked("dotnet", ["publish", Path.Combine(root, "src", "Cli"), "-c", "Release", "-r", "linux-x64", .. properties, "-o", output, "-nologo", "-v:q"], root);
        return Path.Combine(output, "orchestrator");
    }

    public static string? Option(string[] args, string name)
    {
        int at = Array.IndexOf(args, "--" + name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
