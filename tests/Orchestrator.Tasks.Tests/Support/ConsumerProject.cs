namespace Orchestrator.Tasks.Tests.Support;

/// <summary>
/// A consumer project outside this repository that references the Orchestrator.Tasks package, packed
/// from this build into a local feed and restored once into an isolated package folder (so a stale
/// copy in the machine's NuGet cache can never stand in for the code under test).
/// </summary>
public static class ConsumerProject
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _directory;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    public static string ProjectPath => Path.Combine(Directory ?? throw new InvalidOperationException("not prepared"), "Consumer.csproj");

    public static string? Directory => _directory;

    public static async Task<string> PrepareAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_directory is not null)
            {
                return _directory;
            }

            string root = System.IO.Directory.CreateTempSubdirectory("orch-consumer-").FullName;
            string feed = Path.Combine(root, "feed");
            string project = Path.Combine(root, "project");
            System.IO.Directory.CreateDirectory(project);

            var pack = await Dotnet.RunAsync(RepositoryRoot,
                ["pack", Path.Combine(RepositoryRoot, "src", "Tasks", "Orchestrator.Tasks.csproj"), "-c", Configuration, "--no-build", "-o", feed, "-nologo"]);
            Assert.AreEqual(0, pack.ExitCode, "pack failed: " + pack);

            string fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Consumer");
            File.Copy(Path.Combine(fixture, "Consumer.csproj"), Path.Combine(project, "Consumer.csproj"));
            string nugetConfig = await File.ReadAllTextAsync(Path.Combine(fixture, "nuget.config.template"));
            await File.WriteAllTextAsync(Path.Combine(project, "nuget.config"), nugetConfig.Replace("__FEED__", feed, StringComparison.Ordinal));

            var restore = await Dotnet.RunAsync(project, ["restore", "Consumer.csproj", "-nologo"]);
            Assert.AreEqual(0, restore.ExitCode, "restore failed: " + restore);
            _directory = project;
            return project;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Runs <c>dotnet msbuild</c> on the consumer with a fresh runs root per call.</summary>
    public static async Task<(ProcessResult Result, string RunsRoot)> MSBuildAsync(string target, IReadOnlyDictionary<string, string>? properties = null, string? runsRoot = null, IEnumerable<string>? extraArgs = null, TimeSpan? timeout = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        string project = await PrepareAsync();
        runsRoot ??= System.IO.Directory.CreateTempSubdirectory("orch-runs-").FullName;
        var args = new List<string> { "msbuild", "Consumer.csproj", "-t:" + target, "-nologo", "-v:m", "-nodeReuse:false", "-p:OrchestratorRunsRoot=" + runsRoot };
        foreach (var (key, value) in properties ?? new Dictionary<string, string>())
        {
            args.Add($"-p:{key}={value}");
        }

        args.AddRange(extraArgs ?? []);
        var result = await Dotnet.RunAsync(project, args, environment, timeout);
        return (result, runsRoot);
    }

    public static string[] Manifests(string runsRoot) =>
        System.IO.Directory.Exists(runsRoot)
            ? System.IO.Directory.GetFiles(runsRoot, "manifest.json", SearchOption.AllDirectories)
            : [];

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Orchestrator.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Could not find the repository root (Orchestrator.slnx) above " + AppContext.BaseDirectory);
    }
}
