using System.Globalization;

namespace Orchestrator.Bench;

/// <summary>
/// One build running 100 × OrchestratorExec of `true` against the same build running 100 × MSBuild
/// Exec of `true`, whole `dotnet msbuild` wall time, interleaved runs, medians. The task comes from
/// the package exactly as a consumer gets it (Release, ReadyToRun, loaded into the build node); the
/// task-host registration this repository uses for itself is measured alongside for comparison.
/// </summary>
public static class MSBuildOverheadBenchmark
{
    public static int Run(int runs, int commands)
    {
        string repo = Shell.RepositoryRoot();
        string work = Directory.CreateTempSubdirectory("orch-bench-msbuild-").FullName;
        string feed = Path.Combine(work, "feed");
        Console.WriteLine($"Packing Orchestrator.Tasks (Release, ReadyToRun) into {feed} ...");
        Shell.RunChecked("dotnet", ["build", Path.Combine(repo, "src/Tasks/Orchestrator.Tasks.csproj"), "-c", "Release", "-nologo", "-v:q"]);
        Shell.RunChecked("dotnet", ["pack", Path.Combine(repo, "src/Tasks/Orchestrator.Tasks.csproj"), "-c", "Release", "--no-build", "-o", feed, "-nologo", "-v:q"]);

        string items = string.Join(';', Enumerable.Range(1, commands));
        File.WriteAllText(Path.Combine(work, "nuget.config"),
            $"<configuration><packageSources><clear /><add key=\"local\" value=\"{feed}\" /></packageSources></configuration>");
        File.WriteAllText(Path.Combine(work, "Bench.proj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <RestorePackagesPath>$(MSBuildThisFileDirectory)packages</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup><PackageReference Include="Orchestrator.Tasks" Version="0.1.0" /></ItemGroup>
              <ItemGroup><Step Include="{items}" /></ItemGroup>
              <Target Name="Nothing" />
              <Target Name="ExecMany"><Exec Command="true" Condition="'%(Step.Identity)' != ''" /></Target>
              <Target Name="OrchestratorMany">
                <OrchestratorExec Command="true" RunsRoot="$(MSBuildThisFileDirectory).runs" SandboxMode="$(OrchestratorSandboxMode)" Condition="'%(Step.Identity)' != ''" />
              </Target>
            </Project>
            """);
        Shell.RunChecked("dotnet", ["restore", "Bench.proj", "-nologo", "-v:q"], work);

        var variants = new (string Name, string Target, string[] Extra)[]
        {
            ("empty build", "Nothing", []),
            ($"{commands} x Exec", "ExecMany", []),
            ($"{commands} x OrchestratorExec (no sandbox, as Exec)", "OrchestratorMany", ["-p:OrchestratorSandboxMode=danger-full-access"]),
            ($"{commands} x OrchestratorExec (default: sandboxed)", "OrchestratorMany", []),
            ($"{commands} x OrchestratorExec (TaskHostFactory)", "OrchestratorMany", ["-p:OrchestratorTaskFactory=TaskHostFactory", "-p:OrchestratorSandboxMode=danger-full-access"]),
        };
        var timings = BenchPackage.Interleave(work, runs, variants);

        double empty = Stats.Median(timings[variants[0].Name]);
        double exec = Stats.Median(timings[variants[1].Name]);
        double orchestrator = Stats.Median(timings[variants[2].Name]);
        double sandboxed = Stats.Median(timings[variants[3].Name]);
        double taskHost = Stats.Median(timings[variants[4].Name]);
        double ratio = orchestrator / exec;
        double PerCommand(double total) => (total - empty) / commands * 1000;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per command: Exec {PerCommand(exec):0.00} ms, OrchestratorExec {PerCommand(orchestrator):0.00} ms (sandboxed {PerCommand(sandboxed):0.00} ms), task host {PerCommand(taskHost):0.00} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT msbuild-overhead: wall ratio OrchestratorExec/Exec = {ratio:0.000} without a sandbox, as Exec runs (goal <= 1.3) -> {(ratio <= 1.3 ? "PASS" : "MISS")}; with the default sandbox {sandboxed / exec:0.000}"));
        Directory.Delete(work, recursive: true);
        return 0;
    }
}
