// The repository's Cake entry point (docs/cake.md):
//
//   dotnet tool restore && dotnet cake build/build.cake --target=Guardrails
//
// Cake resolves #r and #addin before a script runs, so a script cannot reference an addin that it
// builds itself, and on a fresh clone the Cake.Orchestrator addin is not built yet. This script is
// therefore only the bootstrap: it builds src/Cake (incrementally: a no-op when it is up to date)
// and then runs build/orchestrator.cake, which references that build output, with the same target
// and arguments. Its exit code is this script's.

var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");
var root = MakeAbsolute(Directory(".."));
var addinProject = root.CombineWithFilePath("src/Cake/Cake.Orchestrator.csproj");

Task("Addin")
    .Description("Builds the Cake.Orchestrator addin that build/orchestrator.cake loads.")
    .Does(() =>
{
    DotNetBuild(addinProject.FullPath, new DotNetBuildSettings
    {
        Configuration = configuration,
        NoLogo = true,
        Verbosity = DotNetVerbosity.Quiet,
    });
});

// Every target of build/orchestrator.cake, run there once the addin is built.
foreach (var name in new[] { "Diagnostics", "Guardrails", "Review", "Default" })
{
    var stage = name;
    Task(stage)
        .IsDependentOn("Addin")
        .Does(() =>
    {
        var args = new ProcessArgumentBuilder()
            .Append("cake")
            .AppendQuoted(root.CombineWithFilePath("build/orchestrator.cake").FullPath)
            .Append("--target=" + stage)
            .Append("--configuration=" + configuration);
        foreach (var argument in Context.Arguments.GetArguments())
        {
            if (argument.Key is "target" or "configuration" or "t")
            {
                continue;
            }

            foreach (var value in argument.Value)
            {
                args.AppendQuoted("--" + argument.Key + "=" + value);
            }
        }

        int exitCode = StartProcess("dotnet", new ProcessSettings { Arguments = args, WorkingDirectory = root });
        if (exitCode != 0)
        {
            throw new CakeException(exitCode, $"build/orchestrator.cake --target={stage} failed with exit code {exitCode}.");
        }
    });
}

RunTarget(target);
