using System.Globalization;

namespace Orchestrator.Bench;

/// <summary>
/// Wall time of `orchestrator exec -- true` (the CLI's start-up build, see <see cref="CliPublish"/>;
/// default sandbox, a fresh process each time, JSONL to a pipe), next to `sh -c true` and
/// `dotnet msbuild` of a project with one Exec of `true`, interleaved with rotating order, medians.
/// Also shown: `orchestrator --version` (runtime start + parsing, the floor of any CLI call),
/// `exec --sandbox danger-full-access` (without bubblewrap) and the same exec from the
/// framework-dependent ReadyToRun publish, and a hello-world console app (`dotnet build -c Release`
/// of the `dotnet new console` program, run through its apphost): the issue calibrates its 150 ms
/// goal against such an app starting in about 40 ms here, so the figure is also given scaled to that
/// (this machine's own speed swings by a quarter between runs minutes apart).
/// </summary>
public static class CliStartupBenchmark
{
    private const double GoalMs = 150;

    // What the issue says a hello-world .NET app takes here, next to the goal.
    private const double HelloWorldReferenceMs = 40;

    public static int Run(int runs, string? cliPath)
    {
        string cli = CliPublish.Ensure(cliPath);
        string frameworkDependent = CliPublish.EnsureFrameworkDependent();
        string work = Directory.CreateTempSubdirectory("orch-bench-cli-").FullName;
        try
        {
            string project = Path.Combine(work, "one-exec.proj");
            File.WriteAllText(project, """
                <Project>
                  <Target Name="Build">
                    <Exec Command="true" />
                  </Target>
                </Project>
                """);
            string hello = BuildHelloWorld(work);
            string runsRoot = Path.Combine(work, "runs");
            var sides = new (string Name, string Program, string[] Args)[]
            {
                ("sh -c true", "/bin/sh", ["-c", "true"]),
                ("hello world (console app)", hello, []),
                ("orchestrator --version", cli, ["--version"]),
                ("orchestrator exec -- true", cli, ["exec", "--runs-root", runsRoot, "--", "true"]),
                ("orchestrator exec (no sandbox)", cli, ["exec", "--runs-root", runsRoot, "--sandbox", "danger-full-access", "--", "true"]),
                ("exec, framework-dependent R2R", frameworkDependent, ["exec", "--runs-root", runsRoot, "--", "true"]),
                ("dotnet msbuild (one Exec)", "dotnet", ["msbuild", project, "-nologo", "-v:q", "-nodeReuse:false"]),
            };

            // Warm the page cache and the runtime's files on every side.
            foreach (var side in sides)
            {
                Check(side.Name, Shell.Run(side.Program, side.Args, work));
            }

            var times = sides.ToDictionary(s => s.Name, _ => new List<double>());
            for (int run = 0; run < runs; run++)
            {
                for (int slot = 0; slot < sides.Length; slot++)
                {
                    var side = sides[(run + slot) % sides.Length];
                    var outcome = Shell.Run(side.Program, side.Args, work);
                    Check(side.Name, outcome);
                    times[side.Name].Add(outcome.Elapsed.TotalMilliseconds);
                }
            }

            Console.WriteLine();
            foreach (var side in sides)
            {
                Console.WriteLine($"{side.Name,-32} {Stats.Describe(times[side.Name], "ms")}");
            }

            double ours = Stats.Median(times["orchestrator exec -- true"]);
            double sh = Stats.Median(times["sh -c true"]);
            double msbuild = Stats.Median(times["dotnet msbuild (one Exec)"]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}"));
            double helloWorld = Stats.Median(times["hello world (console app)"]);
            double scaled = ours * HelloWorldReferenceMs / helloWorld;
            bool pass = ours <= GoalMs;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"scaled to the issue's {HelloWorldReferenceMs} ms hello world: hello world took {helloWorld:0.0} ms in this run, so exec -- true = {ours / helloWorld:0.00}x hello world = {scaled:0.0} ms at {HelloWorldReferenceMs} ms (goal {GoalMs / HelloWorldReferenceMs:0.00}x, {GoalMs} ms) -> {(scaled <= GoalMs ? "PASS" : "FAIL")}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT cli-startup: orchestrator exec -- true median {ours:0.0} ms (goal <= {GoalMs} ms), sh -c true {sh:0.0} ms, hello world {helloWorld:0.0} ms, dotnet msbuild one Exec {msbuild:0.0} ms (msbuild/orchestrator = {msbuild / ours:0.0}x) -> {(pass ? "PASS" : "FAIL")}"));
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    // The program `dotnet new console` writes, built as a user builds it: framework-dependent,
    // no ReadyToRun of its own, started through its apphost.
    private static string BuildHelloWorld(string work)
    {
        string directory = Path.Combine(work, "hello");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "hello.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), "Console.WriteLine(\"Hello, World!\");\n");
        Console.WriteLine($"building the hello-world console app in {directory} ...");
        Shell.RunChecked("dotnet", ["build", directory, "-c", "Release", "-nologo", "-v:q"], directory);
        return Path.Combine(directory, "bin", "Release", "net10.0", "hello");
    }

    private static void Check(string name, (int ExitCode, string Output, TimeSpan Elapsed) outcome)
    {
        if (outcome.ExitCode != 0)
        {
            throw new InvalidOperationException($"{name} failed with {outcome.ExitCode}:\n{outcome.Output}");
        }
    }
}
