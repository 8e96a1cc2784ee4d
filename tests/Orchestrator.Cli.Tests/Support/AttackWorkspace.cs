using System.Diagnostics;
using System.Text.Json;

namespace Orchestrator.Cli.Tests.Support;

/// <summary>
/// A temp workspace and the user an attack runs as: <c>root</c> (CI's user) or <c>unprivileged</c>
/// (uid/gid 65534 through setpriv, what real CI runners are). As a non-root developer the root case
/// is inconclusive and the unprivileged one runs as that developer.
/// </summary>
public sealed class AttackWorkspace : IDisposable
{
    public const string Root = "root";

    public const string Unprivileged = "unprivileged";

    /// <summary>
    /// The built CLI where uid 65534 can run it: the clone may lie below a folder only root can
    /// enter (a CI checkout in a <c>mktemp -d</c> folder is mode 700), so its build output is copied,
    /// once, into a temp folder others can read, and removed when the test process ends.
    /// </summary>
    private static readonly Lazy<string> OpenCli = new(() =>
    {
        string source = System.IO.Path.GetDirectoryName(CliProcess.CliPath)!;
        string copy = Directory.CreateTempSubdirectory("orch-cli-open-").FullName;
        foreach (string file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            string target = System.IO.Path.Combine(copy, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        foreach (string directory in Directory.GetDirectories(copy, "*", SearchOption.AllDirectories).Append(copy))
        {
            File.SetUnixFileMode(directory, OpenDirectory);
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(copy, recursive: true);
        return System.IO.Path.Combine(copy, System.IO.Path.GetFileName(CliProcess.CliPath));
    });

    private const UnixFileMode OpenDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly TempDirectory _temp = new();

    public AttackWorkspace(string user)
    {
        User = user;
        bool isRoot = Environment.UserName == "root";
        if (user == Root && !isRoot)
        {
            Assert.Inconclusive("the root case needs root (CI runs as root)");
        }

        AsOtherUser = user == Unprivileged && isRoot;
        Path = _temp.Combine("ws");
        Directory.CreateDirectory(Path);
        if (AsOtherUser)
        {
            File.SetUnixFileMode(_temp.Path, OpenDirectory);
            Chown(Path);
        }
    }

    public string User { get; }

    /// <summary>True when the CLI runs as uid 65534 while the test runs as root.</summary>
    public bool AsOtherUser { get; }

    /// <summary>The workspace (the CLI's working directory; <c>.runs</c> and <c>out</c> land here).</summary>
    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes a file the attacker's user owns, as a checkout of that user would hold it.</summary>
    public void WriteFile(string relative, string text)
    {
        string path = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        if (AsOtherUser)
        {
            Chown(path);
            Chown(System.IO.Path.GetDirectoryName(path)!);
        }
    }

    /// <summary>The CLI as the workspace's user, with HOME inside the workspace's temp folder.</summary>
    public ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["HOME"] = Path };
        if (!AsOtherUser)
        {
            return CliProcess.StartInfo(Path, args, env);
        }

        return CliProcess.StartInfo(Path, ["--reuid=65534", "--regid=65534", "--clear-groups", "--", OpenCli.Value, .. args], env, program: "setpriv");
    }

    public Task<CliOutcome> RunAsync(params string[] args) => RunAsync(null, args);

    public Task<CliOutcome> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        CliProcess.RunAsync(StartInfo(environment, args));

    /// <summary>The newest run's manifest, validated against the schema.</summary>
    public JsonDocument LatestManifest()
    {
        var manifests = Directory.GetFiles(Combine(".runs"), "manifest.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.IsNotEmpty(manifests, "no run was recorded");
        return RunRecords.AssertValidManifest(manifests[^1]);
    }

    public void Dispose() => _temp.Dispose();

    private static void Chown(string path)
    {
        using var chown = Process.Start(new ProcessStartInfo("chown", ["65534:65534", path]) { UseShellExecute = false })!;
        chown.WaitForExit();
        Assert.AreEqual(0, chown.ExitCode, $"chown {path} failed");
    }
}
