using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Runs;

[TestClass]
public sealed class RunPathsTests
{
    [TestMethod]
    public void LayoutIsRunsRootTaskCliRun()
    {
        var paths = new RunPaths("/tmp/r", "task-1", "2025-11-03T23-58-59-546Z-49371323");

        Assert.AreEqual("/tmp/r/task-1/cli/2025-11-03T23-58-59-546Z-49371323", paths.RunDirectory);
        Assert.AreEqual("/tmp/r/task-1/cli/2025-11-03T23-58-59-546Z-49371323/manifest.json", paths.ManifestPath);
        Assert.AreEqual("/tmp/r/task-1/cli/2025-11-03T23-58-59-546Z-49371323/events.jsonl", paths.EventsPath);
        Assert.AreEqual("commands/007-build.stdout.log", RunPaths.CommandLogRelativePath(7, "build", "stdout"));
    }

    [TestMethod]
    public void ATaskIdThatWouldLeaveTheRootIsRejectedBeforeAnythingIsCreated()
    {
        using var dir = new TempDirectory();
        string root = dir.Combine("runs");

        var ex = Assert.ThrowsExactly<OrchestratorException>(() =>
            RunRecorder.Start(new RunOptions { RunsRoot = root, TaskId = "../../etc", WorkingDirectory = dir.Path }));

        Assert.AreEqual(OrchestratorErrorCode.InvalidTaskId, ex.Code);
        Assert.AreEqual(0, Directory.GetFileSystemEntries(dir.Path).Length, "nothing may be created for an invalid task id");
    }

    [TestMethod]
    public void RelativePathsCannotEscapeTheRunDirectory()
    {
        var paths = new RunPaths("/tmp/r", "t", "2025-11-03T23-58-59-546Z-49371323");
        Assert.ThrowsExactly<OrchestratorException>(() => paths.Resolve("../../../etc/passwd"));
        Assert.AreEqual(paths.RunDirectory + "/commands/x.log", paths.Resolve("commands/x.log"));
    }
}
