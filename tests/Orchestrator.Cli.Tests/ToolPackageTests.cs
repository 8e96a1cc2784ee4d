using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using Orchestrator.Cli.Tests.Support;

namespace Orchestrator.Cli.Tests;

/// <summary>
/// `dotnet pack src/Cli` and `dotnet tool install` as docs/cli.md#install gives them: the packages
/// are built into a local feed, the tool is installed from it into a tool path, and the installed
/// command runs. On linux-x64 the tool that lands is the ReadyToRun one.
/// </summary>
[TestClass]
[DoNotParallelize] // builds the Release configuration, as StartupBuildTests does: never at the same time
public sealed class ToolPackageTests
{
    private static TempDirectory? s_work;

    private static string Feed => s_work!.Combine("feed");

    private static string ToolPath => s_work!.Combine("tools");

    [ClassInitialize]
    public static async Task PackAndInstallAsync(TestContext context)
    {
        s_work = new TempDirectory();
        var pack = await CliProcess.RunDotnetAsync(CliProcess.RepositoryRoot,
            "pack", Path.Combine(CliProcess.RepositoryRoot, "src", "Cli"), "-c", "Release", "-o", Feed, "-nologo", "-v:q");
        Assert.AreEqual(0, pack.ExitCode, $"dotnet pack failed\n{pack}");

        var install = await CliProcess.RunDotnetAsync(s_work.Path, "tool", "install", "--tool-path", ToolPath, "Orchestrator.Cli", "--add-source", Feed);
        Assert.AreEqual(0, install.ExitCode, $"dotnet tool install failed\n{install}");
    }

    [ClassCleanup]
    public static void DeleteFeedAndTool() => s_work?.Dispose();

    [TestMethod]
    public void PackMakesAReadyToRunLinuxPackageAPortableOneAndAPointerToBoth()
    {
        string linux = Directory.GetFiles(Feed, "Orchestrator.Cli.linux-x64.*.nupkg").Single();
        string portable = Directory.GetFiles(Feed, "Orchestrator.Cli.any.*.nupkg").Single();
        Assert.ContainsSingle(Directory.GetFiles(Feed, "Orchestrator.Cli.*.nupkg").Where(p => p != linux && p != portable));

        Assert.IsTrue(IsReadyToRun(linux, "tools/net10.0/linux-x64/Orchestrator.Core.dll"), "the linux-x64 package holds precompiled code");
        Assert.IsTrue(IsReadyToRun(linux, "tools/net10.0/linux-x64/orchestrator.dll"));
        Assert.IsFalse(IsReadyToRun(portable, "tools/net10.0/any/Orchestrator.Core.dll"), "the portable package holds IL only");
    }

    [TestMethod]
    public void TheInstalledToolIsTheReadyToRunOne()
    {
        string core = Directory.GetFiles(Path.Combine(ToolPath, ".store"), "Orchestrator.Core.dll", SearchOption.AllDirectories).Single();
        StringAssert.Contains(core, "linux-x64");
        using var stream = File.OpenRead(core);
        Assert.IsTrue(HasReadyToRunHeader(stream), $"{core} is not ReadyToRun");
    }

    [TestMethod]
    public async Task TheInstalledCommandRunsAndRecords()
    {
        using var dir = new TempDirectory();
        string orchestrator = Path.Combine(ToolPath, "orchestrator");

        var version = await CliProcess.RunAsync(CliProcess.StartInfo(dir.Path, ["--version"], program: orchestrator));
        Assert.AreEqual(0, version.ExitCode, version.ToString());

        var outcome = await CliProcess.RunAsync(CliProcess.StartInfo(dir.Path, ["exec", "--json", "--", "sh", "-c", "echo hi; exit 4"], program: orchestrator));
        Assert.AreEqual(4, outcome.ExitCode, outcome.ToString());
        using var summary = JsonDocument.Parse(outcome.Stdout);
        using var manifest = RunRecords.AssertValidManifest(summary.RootElement.GetProperty("manifestPath").GetString()!);
        Assert.AreEqual("hi\n", manifest.RootElement.GetProperty("commands").EnumerateArray().Single().GetProperty("stdout").GetProperty("text").GetString());
    }

    private static bool IsReadyToRun(string package, string entryName)
    {
        using var zip = ZipFile.OpenRead(package);
        var entry = zip.GetEntry(entryName);
        Assert.IsNotNull(entry, $"{Path.GetFileName(package)} has no {entryName}");
        using var copy = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(copy);
        }

        copy.Position = 0;
        return HasReadyToRunHeader(copy);
    }

    /// <summary>A ReadyToRun image carries a managed native header in its CLI header; an IL-only one does not.</summary>
    private static bool HasReadyToRunHeader(Stream image)
    {
        using var reader = new PEReader(image, PEStreamOptions.LeaveOpen);
        return reader.PEHeaders.CorHeader is { } cor && cor.ManagedNativeHeaderDirectory.Size > 0;
    }
}
