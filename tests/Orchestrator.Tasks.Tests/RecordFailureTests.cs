using System.Diagnostics;
using Orchestrator.Tasks.Tests.Support;
using Orchestrator.Tests.Shared;

namespace Orchestrator.Tasks.Tests;

/// <summary>
/// OrchestratorExec when its records cannot be written safely: a runs root that is a link, and a
/// runs root on a real full file system. Both fail the build with ORCH0002 naming the path.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class RecordFailureTests
{
    [ClassInitialize]
    public static async Task PrepareConsumerAsync(TestContext _) => await ConsumerProject.PrepareAsync();

    [TestMethod]
    public async Task ARunsRootThatIsALinkFailsTheBuildWithOrch0002AndNothingIsWrittenThroughIt()
    {
        using var dir = new TempDirectory();
        using var outside = new TempDirectory();
        string runs = dir.Combine(".runs");
        File.CreateSymbolicLink(runs, outside.Path);

        var (result, _) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            new Dictionary<string, string> { ["OrchestratorCommand"] = "true", ["OrchestratorTaskId"] = "linked" }, runsRoot: runs);

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Stdout, "error ORCH0002");
        StringAssert.Contains(result.Stdout, $"'{runs}'");
        StringAssert.Contains(result.Stdout, "symbolic link");
        Assert.IsEmpty(Directory.GetFileSystemEntries(outside.Path));
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task AFullRunsRootFailsTheBuildWithOrch0002NamingThePathAndStopsTheCommand()
    {
        using var dir = new TempDirectory();
        using var disk = SmallFileSystem.Mount(dir.Combine(".runs"), 1024);
        var started = Stopwatch.StartNew();

        var (result, _) = await ConsumerProject.MSBuildAsync("OrchestratorExec", new Dictionary<string, string>
        {
            ["OrchestratorCommand"] = "head -c 10000000 /dev/zero | tr '\\0' a && sleep 120",
            ["OrchestratorTaskId"] = "full",
            ["OrchestratorSandboxMode"] = "danger-full-access",
            ["OrchestratorStandardOutputImportance"] = "low",
        }, runsRoot: disk.Path);

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        Assert.IsLessThan(100, started.Elapsed.TotalSeconds, "the command was stopped, not waited for");
        StringAssert.Contains(result.Stdout, "error ORCH0002");
        StringAssert.Contains(result.Stdout, Path.Combine(disk.Path, "full", "cli"));
        StringAssert.Contains(result.Stdout, "No space left on device");
    }
}
