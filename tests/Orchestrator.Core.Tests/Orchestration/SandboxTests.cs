using System.Net;
using System.Net.Sockets;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;
using Orchestrator.Tests.Shared;

namespace Orchestrator.Core.Tests.Orchestration;

/// <summary>The bubblewrap sandbox, for real: what a command can and cannot touch.</summary>
[TestClass]
public sealed class SandboxTests
{
    [ClassInitialize]
    public static void RequireBubblewrap(TestContext _) => Sandboxes.RequireBubblewrap();

    private static ExecRequest Shell(string line) => new() { Command = CommandSpec.FromShell(line) };

    private static Task<RunResult> Run(RunOptions options, string line) => new OrchestratorClient().ExecAsync(Shell(line), options);

    [TestMethod]
    public async Task WorkspaceWriteAllowsTheWorkspaceAndRefusesTheRestOfTheFileSystem()
    {
        using var dir = new TempDirectory();
        using var elsewhere = Sandboxes.OutsideTmp();
        var options = Sandboxes.Options(dir, ApprovalPolicy.Never);
        string outside = elsewhere.Combine("outside.txt");

        var result = await Run(options, $"echo inside > in-workspace.txt && echo outside > {outside}");

        Assert.IsTrue(File.Exists(dir.Combine("ws", "in-workspace.txt")), "the workspace must be writable");
        Assert.IsFalse(File.Exists(outside), "a write outside the workspace must be refused");
        var tool = result.ToolRuns.Single();
        // The refusal is known only from the words the command printed: its own failure, marked as a possible denial.
        Assert.AreEqual(ToolRunStatus.Failed, tool.Status, tool.StatusDetail);
        StringAssert.Contains(tool.StatusDetail, "possibly denied by the sandbox");
        StringAssert.Contains(tool.Attempts[0].Stderr.Text, "Read-only file system");
        Assert.AreEqual(1, tool.Attempts.Count, "never must not escalate without an approval");
        RunFiles.AssertValidRun(result.ManifestPath);
    }

    [TestMethod]
    public async Task ReadOnlyRefusesEvenTheWorkspace()
    {
        using var dir = new TempDirectory();
        var result = await Run(Sandboxes.Options(dir, ApprovalPolicy.Never, SandboxMode.ReadOnly), "echo x > file.txt");

        Assert.IsFalse(File.Exists(dir.Combine("ws", "file.txt")));
        StringAssert.Contains(result.ToolRuns[0].Attempts[0].Stderr.Text, "Read-only file system");
    }

    [TestMethod]
    public async Task TmpIsPrivateToTheSandbox()
    {
        using var dir = new TempDirectory();
        string marker = $"/tmp/orch-private-{Guid.NewGuid():N}";

        var result = await Run(Sandboxes.Options(dir), $"echo hidden > {marker} && cat {marker}");

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        Assert.AreEqual("hidden\n", result.Commands[0].Stdout.Text);
        Assert.IsFalse(File.Exists(marker), "/tmp inside the sandbox must not be the host's /tmp");
    }

    [TestMethod]
    public async Task ASymlinkInTheWorkspaceCannotBeUsedToWriteOutsideIt()
    {
        using var dir = new TempDirectory();
        using var elsewhere = Sandboxes.OutsideTmp();
        var options = Sandboxes.Options(dir, ApprovalPolicy.Never);
        string target = elsewhere.Combine("target");
        Directory.CreateDirectory(target);
        Directory.CreateSymbolicLink(dir.Combine("ws", "escape"), target);

        var result = await Run(options, "echo through-link > escape/file.txt");

        Assert.IsFalse(File.Exists(Path.Combine(target, "file.txt")), "the write through the symlink must be refused");
        Assert.AreEqual(ToolRunStatus.Failed, result.ToolRuns[0].Status);
        StringAssert.Contains(result.ToolRuns[0].Attempts[0].Stderr.Text, "Read-only file system");
    }

    [TestMethod]
    public async Task GitMetadataAndTheRunsRootStayReadOnlyInsideTheWorkspace()
    {
        using var dir = new TempDirectory();
        var options = Sandboxes.Options(dir, ApprovalPolicy.Never) with { RunsRoot = dir.Combine("ws", ".runs") };
        Directory.CreateDirectory(dir.Combine("ws", ".git"));

        var git = await Run(options, "echo tamper > .git/config");
        var runs = await Run(options, "echo tamper > .runs/forged.txt");

        Assert.IsFalse(File.Exists(dir.Combine("ws", ".git", "config")));
        Assert.IsFalse(File.Exists(dir.Combine("ws", ".runs", "forged.txt")), "a command must not rewrite the records of runs");
        Assert.AreEqual(ToolRunStatus.Failed, git.ToolRuns[0].Status);
        Assert.AreEqual(ToolRunStatus.Failed, runs.ToolRuns[0].Status);
    }

    [TestMethod]
    public async Task ConfiguredWritableRootsAreWritable()
    {
        using var dir = new TempDirectory();
        string cache = dir.Combine("package-cache");
        Directory.CreateDirectory(cache);

        var result = await Run(Sandboxes.Options(dir, writableRoots: [cache]), $"echo cached > {cache}/entry");

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        Assert.AreEqual("cached\n", await File.ReadAllTextAsync(Path.Combine(cache, "entry")));
    }

    [TestMethod]
    public async Task WithoutNetworkTheCommandCannotReachTheHostsLoopback()
    {
        using var dir = new TempDirectory();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        string probe = $"exec bash -c 'echo hi > /dev/tcp/127.0.0.1/{port}'";

        var isolated = await Run(Sandboxes.Options(dir, ApprovalPolicy.Never), probe);
        var connected = await Run(Sandboxes.Options(dir, ApprovalPolicy.Never, network: true), probe);

        Assert.AreNotEqual(0, isolated.Commands[0].ExitCode, "the sandbox without network must not reach the host");
        StringAssert.Contains(isolated.Commands[0].Stderr.Text, "Connection refused");
        Assert.IsTrue(connected.Succeeded, "with network allowed the same connection works: " + connected.Commands[0].Stderr.Text);
    }

    [TestMethod]
    public async Task TheSandboxedTreeIsEndedOnTimeout()
    {
        using var dir = new TempDirectory();
        string sleep = HostProcesses.UniqueSleep();
        var request = Shell($"trap '' TERM; sleep {sleep} & wait") with { Timeout = TimeSpan.FromMilliseconds(500) };

        var result = await new OrchestratorClient().ExecAsync(request, Sandboxes.Options(dir));

        Assert.AreEqual(ToolRunStatus.TimedOut, result.ToolRuns[0].Status);
        Assert.IsEmpty(await HostProcesses.SurvivorsAsync(sleep), "a sandboxed child survived the timeout");
    }

    [TestMethod]
    public async Task AReusedCgroupCountsOnlyItsCurrentCommandAgainstTheLimit()
    {
        using var dir = new TempDirectory();
        var limits = new SandboxLimits(64, SandboxLimits.DefaultMaxMemoryBytes);
        var options = Sandboxes.Options(dir) with { Sandbox = Sandboxes.Options(dir).Sandbox with { Limits = limits } };
        if (!SandboxLimiter.Describe(limits).ProcessesEnforcedBy.StartsWith("cgroup", StringComparison.Ordinal))
        {
            Assert.Inconclusive("no writable cgroup here: the kernel's counters cannot tell a limit was hit");
        }

        string sleep = HostProcesses.UniqueSleep(30);
        // Separate runs of one process: the second and third reuse the first one's cgroups.
        var client = new OrchestratorClient();
        var bomb = await client.ExecAsync(Shell($"i=0; while [ $i -lt 100 ]; do sleep {sleep} & i=$((i+1)); done; exit 0") with { Timeout = TimeSpan.FromSeconds(10) }, options);
        var next = await client.ExecAsync(Shell("true"), options);
        var third = await client.ExecAsync(Shell("true"), options);

        Assert.AreEqual("LimitExceeded", bomb.Commands[0].Error?.Code, "the first command hit the limit");
        Assert.AreEqual(CommandStatus.Succeeded, next.Commands[0].Status, "the next command in the same cgroup starts from a clean count");
        Assert.IsNull(next.Commands[0].Error);
        Assert.IsNull(third.Commands[0].Error);
        Assert.IsEmpty(await HostProcesses.SurvivorsAsync(sleep));
    }

    [TestMethod]
    public async Task TheManifestRecordsTheSandboxThatWasUsed()
    {
        using var dir = new TempDirectory();
        var result = await Run(Sandboxes.Options(dir), "true");

        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        var sandbox = manifest.RootElement.GetProperty("sandbox");
        Assert.AreEqual("workspace-write", sandbox.GetProperty("mode").GetString());
        Assert.AreEqual("available", sandbox.GetProperty("availability").GetString());
        Assert.IsFalse(sandbox.GetProperty("networkAccess").GetBoolean());
        Assert.AreEqual("sandboxed", manifest.RootElement.GetProperty("toolRuns")[0].GetProperty("sandboxState").GetString());
        Assert.AreEqual("sandboxed", manifest.RootElement.GetProperty("commands")[0].GetProperty("sandbox").GetString());
        var limits = sandbox.GetProperty("limits");
        Assert.AreEqual(SandboxLimits.DefaultMaxProcesses, limits.GetProperty("maxProcesses").GetInt32());
        Assert.AreEqual(SandboxLimits.DefaultMaxMemoryBytes, limits.GetProperty("maxMemoryBytes").GetInt64());
        CollectionAssert.Contains(new[] { "cgroup-v2", "cgroup-v1", "rlimit", "none" }, limits.GetProperty("processesEnforcedBy").GetString());
        var protectedPaths = sandbox.GetProperty("protectedPaths").EnumerateArray().Select(p => p.GetString()).ToList();
        CollectionAssert.Contains(protectedPaths, dir.Combine("runs"));
        RunFiles.AssertValidRun(result.ManifestPath);
    }
}
