namespace Orchestrator.Bench;

/// <summary>
/// A consumer project in a temp directory referencing the Orchestrator.Tasks package as a consumer
/// gets it (Release, ReadyToRun, packed into a local feed), restored once.
/// </summary>
public static class BenchPackage
{
    /// <returns>The directory holding Bench.proj.</returns>
    public static string Prepare(string prefix, string targets, string? config = null)
    {
        string repo = Shell.RepositoryRoot();
        string work = Directory.CreateTempSubdirectory(prefix).FullName;
        string feed = Path.Combine(work, "feed");
        Console.WriteLine($"Packing Orchestrator.Tasks (Release, ReadyToRun) into {feed} ...");
        Shell.RunChecked("dotnet", ["build", Path.Combine(repo, "src/Tasks/Orchestrator.Tasks.csproj"), "-c", "Release", "-nologo", "-v:q"]);
        Shell.RunChecked("dotnet", ["pack", Path.Combine(repo, "src/Tasks/Orchestrator.Tasks.csproj"), "-c", "Release", "--no-build", "-o", feed, "-nologo", "-v:q"]);
        File.WriteAllText(Path.Combine(work, "nuget.config"),
            $"<configuration><packageSources><clear /><add key=\"local\" value=\"{feed}\" /></packageSources></configuration>");
        File.WriteAllText(Path.Combine(work, "Bench.proj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <RestorePackagesPath>$(MSBuildThisFileDirectory)packages</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup><PackageReference Include="Orchestrator.Tasks" Version="0.1.0" /></ItemGroup>
              <Target Name="Nothing" />
            {targets}
            </Project>
            """);
        if (config is not null)
        {
            File.WriteAllText(Path.Combine(work, "orchestrator.yaml"), config);
        }

        Shell.RunChecked("dotnet", ["restore", "Bench.proj", "-nologo", "-v:q"], work);
        return work;
    }

    /// <summary>Wall seconds of one `dotnet msbuild Bench.proj -t:target`, from a settled machine.</summary>
    public static double Measure(string work, string target, string[] extra)
    {
        GuestMemory.Settle(1L << 30);
        var (exit, output, elapsed) = Shell.Run("dotnet", ["msbuild", "Bench.proj", "-t:" + target, "-nologo", "-v:q", "-nodeReuse:false", .. extra], work);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{target} failed:\n{output}");
        }

        return elapsed.TotalSeconds;
    }

    /// <summary>Two warm-up rounds, then <paramref name="runs"/> interleaved rounds of every variant.</summary>
    public static Dictionary<string, List<double>> Interleave(string work, int runs, (string Name, string Target, string[] Extra)[] variants)
    {
        var timings = variants.ToDictionary(v => v.Name, _ => new List<double>());
        for (int warm = 0; warm < 2; warm++)
        {
            foreach (var v in variants)
            {
                Measure(work, v.Target, v.Extra);
            }
        }

        for (int run = 0; run < runs; run++)
        {
            foreach (var v in variants)
            {
                timings[v.Name].Add(Measure(work, v.Target, v.Extra));
            }

            Console.Write('.');
        }

        Console.WriteLine();
        foreach (var v in variants)
        {
            Console.WriteLine($"{v.Name,-52} {Stats.Describe(timings[v.Name], "s")}");
        }

        return timings;
    }
}
