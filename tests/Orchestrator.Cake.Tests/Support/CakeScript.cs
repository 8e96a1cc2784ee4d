namespace Orchestrator.Cake.Tests.Support;

/// <summary>
/// Runs fixture scripts with the real Cake tool (Cake.Tool 7.0.0 from the repository's tool
/// manifest) in a directory outside the repository, loading the addin from its build output.
/// </summary>
public static partial class CakeScript
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _workspace;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    public static string AddinPath => Path.Combine(RepositoryRoot, "src", "Cake", "bin", Configuration, "net10.0", "Cake.Orchestrator.dll");

    /// <summary>A scratch workspace with the repository's tool manifest, restored once (from the local package cache).</summary>
    public static async Task<string> WorkspaceAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_workspace is not null)
            {
                return _workspace;
            }

            string workspace = Directory.CreateTempSubdirectory("orch-cake-").FullName;
            Directory.CreateDirectory(Path.Combine(workspace, ".config"));
            File.Copy(Path.Combine(RepositoryRoot, ".config", "dotnet-tools.json"), Path.Combine(workspace, ".config", "dotnet-tools.json"));
            // A git root of its own: the runs root and configuration lookups stop here, not in the repository.
            Directory.CreateDirectory(Path.Combine(workspace, ".git"));
            var restore = await Dotnet.RunAsync(workspace, ["tool", "restore"]);
            Assert.AreEqual(0, restore.ExitCode, "dotnet tool restore failed: " + restore);
            _workspace = workspace;
            return workspace;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Copies the fixture script (with the addin path filled in) into the workspace and runs it with <c>dotnet cake</c>.</summary>
    public static async Task<ProcessResult> RunAsync(string fixture, IReadOnlyDictionary<string, string>? arguments = null,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        string script = await PrepareAsync(fixture);
        var args = new List<string> { "cake", script, "--verbosity=normal" };
        foreach (var (key, value) in arguments ?? new Dictionary<string, string>())
        {
            args.Add($"--{key}={value}");
        }

        var result = await Dotnet.RunAsync(Path.GetDirectoryName(script)!, args, WithoutCi(environment), timeout ?? TimeSpan.FromMinutes(5));
        return new ProcessResult(result.ExitCode, StripAnsi(result.Stdout), StripAnsi(result.Stderr));
    }

    /// <summary>Cake colours its log; the assertions are about the text.</summary>
    public static string StripAnsi(string text) => AnsiEscape().Replace(text, "");

    [System.Text.RegularExpressions.GeneratedRegex("\\x1B\\[[0-9;]*m")]
    private static partial System.Text.RegularExpressions.Regex AnsiEscape();

    public static async Task<string> PrepareAsync(string fixture)
    {
        string workspace = await WorkspaceAsync();
        string text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture));
        string script = Path.Combine(workspace, Guid.NewGuid().ToString("N")[..8] + "-" + fixture);
        await File.WriteAllTextAsync(script, text.Replace("__ADDIN__", AddinPath, StringComparison.Ordinal));
        return script;
    }

    /// <summary>
    /// Copies a fixture folder (an orchestrator.yaml and scripts, the addin path filled in) into a
    /// fresh directory under the workspace that is a git repository of its own.
    /// </summary>
    public static async Task<string> FixtureRepositoryAsync(string fixture)
    {
        string workspace = await WorkspaceAsync();
        string repo = Path.Combine(workspace, fixture + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(repo);
        foreach (string file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture)))
        {
            string text = await File.ReadAllTextAsync(file);
            await File.WriteAllTextAsync(Path.Combine(repo, Path.GetFileName(file)), text.Replace("__ADDIN__", AddinPath, StringComparison.Ordinal));
        }

        var init = await Dotnet.RunAsync(repo, ["init", "-q"], program: "git");
        Assert.AreEqual(0, init.ExitCode, init.ToString());
        return repo;
    }

    /// <summary>Runs a script of a fixture repository with <c>dotnet cake</c>, in that repository.</summary>
    public static async Task<ProcessResult> RunInAsync(string repo, string script, Dictionary<string, string>? arguments = null)
    {
        var args = new List<string> { "cake", script, "--verbosity=normal" };
        foreach (var (key, value) in arguments ?? [])
        {
            args.Add($"--{key}={value}");
        }

        var result = await Dotnet.RunAsync(repo, args, WithoutCi(null), TimeSpan.FromMinutes(5));
        return new ProcessResult(result.ExitCode, StripAnsi(result.Stdout), StripAnsi(result.Stderr));
    }

    /// <summary>The CI variables of the machine running the tests must not leak into the scripts unless a test sets them.</summary>
    public static Dictionary<string, string?> WithoutCi(IReadOnlyDictionary<string, string?>? environment)
    {
        var result = new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = null, ["GITHUB_STEP_SUMMARY"] = null, ["ORCHESTRATOR_SANDBOX_MODE"] = null };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            result[key] = value;
        }

        return result;
    }

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
