using System.Text;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Orchestration.Approvals;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Runs.State;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Runs;

/// <summary>
/// A command that can write the workspace plants links where the orchestrator writes its records
/// (issue 13): each writer must refuse with an error naming the path, and the file the link points
/// at (in a separate temp folder standing in for "outside") must stay byte for byte as it was.
/// </summary>
[TestClass]
public sealed class RecordWritesRefuseLinksTests
{
    // A torn last line: the old task-state repair truncated exactly this off whatever file it opened.
    private static readonly byte[] Precious = Encoding.UTF8.GetBytes("precious data\n{\"runId\":\"torn");

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void ATaskStateAppendRefusesALinkAtRunsJsonlAndNeverTruncatesItsTarget()
    {
        using var workspace = new TempDirectory();
        using var outside = new TempDirectory();
        string victim = Victim(outside);
        Directory.CreateDirectory(workspace.Combine("out", "build"));
        File.CreateSymbolicLink(workspace.Combine("out", "build", "runs.jsonl"), victim);

        var error = Assert.Throws<OrchestratorException>(() =>
            TaskStateStore.Open(workspace.Combine("out"), "build").Append(Entry()));

        AssertRefused(error, workspace.Combine("out", "build", "runs.jsonl"), "symbolic link");
        CollectionAssert.AreEqual(Precious, File.ReadAllBytes(victim));
    }

    [TestMethod]
    public void ATaskStateAppendRefusesALinkedTaskDirectoryOrStateRoot()
    {
        foreach (string[] linked in new[] { new[] { "out", "build" }, new[] { "out" } })
        {
            using var workspace = new TempDirectory();
            using var outside = new TempDirectory();
            // The link's target holds what the store would use: a runs.jsonl with a torn line.
            string target = linked.Length == 2 ? outside.Path : outside.Combine("state");
            Directory.CreateDirectory(Path.Combine(target, linked.Length == 2 ? string.Empty : "build"));
            string victim = Path.Combine(target, linked.Length == 2 ? string.Empty : "build", "runs.jsonl");
            File.WriteAllBytes(victim, Precious);
            Directory.CreateDirectory(Path.GetDirectoryName(workspace.Combine(linked))!);
            File.CreateSymbolicLink(workspace.Combine(linked), target);

            var error = Assert.Throws<OrchestratorException>(() =>
                TaskStateStore.Open(workspace.Combine("out"), "build").Append(Entry()));

            AssertRefused(error, workspace.Combine(linked), "symbolic link");
            CollectionAssert.AreEqual(Precious, File.ReadAllBytes(victim), string.Join('/', linked));
            Assert.IsFalse(File.Exists(victim + ".lock"), "no lock file was created through the link");
        }
    }

    [TestMethod]
    public void ATaskStateAppendRefusesALinkAtTheLockFile()
    {
        using var workspace = new TempDirectory();
        using var outside = new TempDirectory();
        string victim = Victim(outside);
        string missing = outside.Combine("created-through-the-link");
        Directory.CreateDirectory(workspace.Combine("out", "build"));
        File.CreateSymbolicLink(workspace.Combine("out", "build", "runs.jsonl.lock"), missing);
        var store = TaskStateStore.Open(workspace.Combine("out"), "build");

        var error = Assert.Throws<OrchestratorException>(() => store.Append(Entry()));

        AssertRefused(error, workspace.Combine("out", "build", "runs.jsonl.lock"), "symbolic link");
        Assert.IsFalse(File.Exists(missing), "the link's target was not created");
        File.Delete(workspace.Combine("out", "build", "runs.jsonl.lock"));
        File.CreateSymbolicLink(workspace.Combine("out", "build", "runs.jsonl.lock"), victim);
        Assert.Throws<OrchestratorException>(() => store.Append(Entry()));
        CollectionAssert.AreEqual(Precious, File.ReadAllBytes(victim));
    }

    [TestMethod]
    [Timeout(20_000, CooperativeCancellation = true)]
    public async Task AFifoAtRunsJsonlIsRefusedAtOnceInsteadOfBlockingTheWriter()
    {
        using var workspace = new TempDirectory();
        Directory.CreateDirectory(workspace.Combine("out", "build"));
        MakeFifo(workspace.Combine("out", "build", "runs.jsonl"));

        Task<TaskStateEntry> append = Task.Run(() => TaskStateStore.Open(workspace.Combine("out"), "build").Append(Entry()), TestContext.CancellationToken);
        Task finished = await Task.WhenAny(append, Task.Delay(TimeSpan.FromSeconds(10), TestContext.CancellationToken));

        Assert.AreSame(append, finished, "the append returned instead of blocking on the FIFO");
        var error = await Assert.ThrowsAsync<OrchestratorException>(() => append);
        AssertRefused(error, workspace.Combine("out", "build", "runs.jsonl"), "FIFO");
    }

    [TestMethod]
    public async Task ARunRefusesALinkedRunsRootOrTaskRunsDirectoryAndCreatesNothingThere()
    {
        foreach (string[] linked in new[] { new[] { ".runs" }, new[] { ".runs", "links", "cli" } })
        {
            using var workspace = new TempDirectory();
            using var outside = new TempDirectory();
            Directory.CreateDirectory(Path.GetDirectoryName(workspace.Combine(linked))!);
            File.CreateSymbolicLink(workspace.Combine(linked), outside.Path);

            var error = await Assert.ThrowsAsync<OrchestratorException>(() =>
                new OrchestratorClient().ExecAsync(Shell("echo hi"), Options(workspace)));

            AssertRefused(error, workspace.Combine(linked), "symbolic link");
            Assert.IsEmpty(Directory.GetFileSystemEntries(outside.Path), $"nothing was created through {string.Join('/', linked)}");
        }
    }

    [TestMethod]
    public async Task ARunRefusesALinkedStateRootAndLeavesTheTargetUntouched()
    {
        using var workspace = new TempDirectory();
        using var outside = new TempDirectory();
        Directory.CreateDirectory(outside.Combine("links"));
        string victim = outside.Combine("links", "runs.jsonl");
        File.WriteAllBytes(victim, Precious);
        File.CreateSymbolicLink(workspace.Combine("out"), outside.Path);

        var error = await Assert.ThrowsAsync<OrchestratorException>(() =>
            new OrchestratorClient().ExecAsync(Shell("echo ran > ran.txt"), Options(workspace)));

        AssertRefused(error, workspace.Combine("out"), "symbolic link");
        CollectionAssert.AreEqual(Precious, File.ReadAllBytes(victim));
        Assert.IsFalse(File.Exists(workspace.Combine("ran.txt")), "a run whose state cannot be recorded does not run its command");
    }

    [TestMethod]
    public async Task ACommandThatLinksItsRawLogDirectoryOutsideGetsNothingWrittenThere()
    {
        using var workspace = new TempDirectory();
        using var outside = new TempDirectory();
        // The command finds its own run directory and points commands/ elsewhere before printing.
        string line = $"d=$(ls -d .runs/links/cli/*/); ln -s '{outside.Path}' \"$d/commands\"; echo leaked";

        var result = await new OrchestratorClient().ExecAsync(Shell(line), Options(workspace));

        Assert.IsEmpty(Directory.GetFileSystemEntries(outside.Path), "no raw log was created through the link");
        var command = result.Commands.Single();
        Assert.AreEqual(CommandStatus.Failed, command.Status);
        Assert.AreEqual("OutputRecordingFailed", command.Error?.Code);
        StringAssert.Contains(command.Error!.Message, Path.Combine(result.RunDirectory, "commands"));
        StringAssert.Contains(command.Error.Message, "symbolic link");
    }

    [TestMethod]
    public async Task ACommandThatReplacesTheManifestWithALinkGetsAnErrorAndTheTargetIsUntouched()
    {
        using var workspace = new TempDirectory();
        using var outside = new TempDirectory();
        string victim = Victim(outside);
        string line = $"d=$(ls -d .runs/links/cli/*/); ln -sf '{victim}' \"$d/manifest.json\"";

        var error = await Assert.ThrowsAsync<OrchestratorException>(() =>
            new OrchestratorClient().ExecAsync(Shell(line), Options(workspace)));

        Assert.AreEqual(OrchestratorErrorCode.RunsRootNotWritable, error.Code);
        StringAssert.Contains(error.Message, "manifest.json");
        StringAssert.Contains(error.Message, "symbolic link");
        CollectionAssert.AreEqual(Precious, File.ReadAllBytes(victim));
    }

    [TestMethod]
    public void AnApprovalGrantRefusesALinkAtTheCacheFileOrItsDirectory()
    {
        using var workspace = new TempDirectory();
        using var outside = new TempDirectory();
        string victim = Victim(outside);
        Directory.CreateDirectory(workspace.Combine(".runs"));
        string cache = workspace.Combine(".runs", $"approvals-{Guid.NewGuid():N}.jsonl");
        File.CreateSymbolicLink(cache, victim);
        var subject = new ApprovalSubject(ApprovalAction.Escalate, ["make", "release"], workspace.Path, "t", "r1");

        var error = Assert.Throws<OrchestratorException>(() =>
            ApprovalCache.Open(cache).Grant(subject, ApprovalScope.Persistent, "ci", null, DateTimeOffset.UtcNow));

        AssertRefused(error, cache, "symbolic link");
        CollectionAssert.AreEqual(Precious, File.ReadAllBytes(victim));

        using var elsewhere = new TempDirectory();
        File.CreateSymbolicLink(elsewhere.Combine(".runs"), outside.Path);
        string linkedCache = elsewhere.Combine(".runs", "approvals.jsonl");
        error = Assert.Throws<OrchestratorException>(() =>
            ApprovalCache.Open(linkedCache).Grant(subject, ApprovalScope.Persistent, "ci", null, DateTimeOffset.UtcNow));
        AssertRefused(error, elsewhere.Combine(".runs"), "symbolic link");
        CollectionAssert.AreEqual(new[] { victim }, Directory.GetFiles(outside.Path));
    }

    private static string Victim(TempDirectory outside)
    {
        string path = outside.Combine("victim.txt");
        File.WriteAllBytes(path, Precious);
        return path;
    }

    private static void AssertRefused(OrchestratorException error, string path, string what)
    {
        Assert.AreEqual(OrchestratorErrorCode.RunsRootNotWritable, error.Code, error.Message);
        StringAssert.Contains(error.Message, $"'{path}'");
        StringAssert.Contains(error.Message, what);
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path])!;
        mkfifo.WaitForExit();
        Assert.AreEqual(0, mkfifo.ExitCode);
    }

    // Unsandboxed: the sandbox keeps the runs root read-only, but out/ and anything a command
    // outside the sandbox (or a step before the run) can reach is the same threat.
    private static RunOptions Options(TempDirectory workspace) => new()
    {
        RunsRoot = workspace.Combine(".runs"),
        TaskId = "links",
        WorkingDirectory = workspace.Path,
        Sandbox = new SandboxSettings(SandboxMode.DangerFullAccess, false, []),
    };

    private static ExecRequest Shell(string line) => new() { Command = CommandSpec.FromShell(line) };

    private static TaskStateEntry Entry() => new()
    {
        RunId = RunId.Validate("2026-11-22T03-10-01-000Z-0000abcd"),
        Status = RunStatus.InProgress,
        Timestamp = DateTimeOffset.UtcNow,
        Runner = RunnerKind.MSBuild,
        ManifestPath = "../../.runs/build/cli/2026-11-22T03-10-01-000Z-0000abcd/manifest.json",
    };
}
