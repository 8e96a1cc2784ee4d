using System.Diagnostics;

namespace Orchestrator.Tasks.Tests.Support;

/// <summary>
/// A git repository of someone else's: the consumer project (the Orchestrator.Tasks package from the
/// local feed), an orchestrator.yaml with guardrails (the spec guard, a lint and a test command),
/// src/ and docs/ committed on main, and a feature branch checked out.
/// </summary>
public sealed class GuardrailRepository : IDisposable
{
    public const string Config = """
        specGuard:
          codePaths: [src/]
          specPaths: [docs/]
        guardrails:
          stages:
            - id: review
              steps:
                - { id: spec-guard, builtin: spec-guard }
            - id: checks
              steps:
                - { id: lint, command: "test ! -f src/lint-error", timeout: 60s }
                - { id: unit, command: "sh tests/unit.sh" }
        pipelines:
          ci:
            steps:
              - { id: unit, command: "sh tests/unit.sh" }
              - { id: after, command: "echo after-unit" }
        """;

    private GuardrailRepository(string path) => Path = path;

    public string Path { get; }

    public string RunsRoot => System.IO.Path.Combine(Path, ".runs");

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public static async Task<GuardrailRepository> CreateAsync()
    {
        string consumer = await ConsumerProject.PrepareAsync();
        string path = Directory.CreateTempSubdirectory("orch-guardrail-repo-").FullName;
        var repo = new GuardrailRepository(path);
        File.Copy(System.IO.Path.Combine(consumer, "Consumer.csproj"), repo.Combine("Consumer.csproj"));
        File.Copy(System.IO.Path.Combine(consumer, "nuget.config"), repo.Combine("nuget.config"));
        await File.WriteAllTextAsync(repo.Combine("orchestrator.yaml"), Config);
        await File.WriteAllTextAsync(repo.Combine(".gitignore"), "bin/\nobj/\npackages/\n.runs/\nout/\n");
        Directory.CreateDirectory(repo.Combine("src"));
        Directory.CreateDirectory(repo.Combine("docs"));
        Directory.CreateDirectory(repo.Combine("tests"));
        await File.WriteAllTextAsync(repo.Combine("src", "app.c"), "int main(void) { return 0; }\n");
        await File.WriteAllTextAsync(repo.Combine("docs", "spec.md"), "# Spec\n");
        await File.WriteAllTextAsync(repo.Combine("tests", "unit.sh"), "test ! -f src/unit-error && echo unit-ok\n");
        repo.Git("init", "-q", "-b", "main");
        repo.Git("add", "-A");
        repo.Git("commit", "-q", "-m", "base");
        repo.Git("checkout", "-q", "-b", "feature");
        var restore = await Dotnet.RunAsync(path, ["restore", "Consumer.csproj", "-nologo"]);
        Assert.AreEqual(0, restore.ExitCode, "restore failed: " + restore);
        return repo;
    }

    public void Git(params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["GIT_AUTHOR_NAME"] = info.Environment["GIT_COMMITTER_NAME"] = "fixture";
        info.Environment["GIT_AUTHOR_EMAIL"] = info.Environment["GIT_COMMITTER_EMAIL"] = "fixture@example.invalid";
        using var process = Process.Start(info)!;
        string err = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, $"git {string.Join(' ', args)}: {err}");
    }

    /// <summary><c>dotnet build Consumer.csproj -t:target</c>, as CI would (no node reuse).</summary>
    public Task<ProcessResult> BuildAsync(string target, params string[] properties) =>
        BuildAsync(target, new Dictionary<string, string?>(), timeout: null, properties);

    /// <summary>
    /// <see cref="BuildAsync(string, string[])"/> with variables set for the build (a null value removes
    /// one) and a bound on it (default: <see cref="Dotnet.RunAsync"/>'s).
    /// </summary>
    public Task<ProcessResult> BuildAsync(string target, IReadOnlyDictionary<string, string?> environment, TimeSpan? timeout, params string[] properties)
    {
        var args = new List<string> { "build", "Consumer.csproj", "-t:" + target, "-nologo", "-v:m", "-nodeReuse:false", "--no-restore" };
        args.AddRange(properties.Select(p => "-p:" + p));
        var variables = new Dictionary<string, string?> { ["BASE_SHA"] = null };
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        return Dotnet.RunAsync(Path, args, variables, timeout);
    }

    public string[] Manifests() =>
        Directory.Exists(RunsRoot) ? Directory.GetFiles(RunsRoot, "manifest.json", SearchOption.AllDirectories) : [];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
