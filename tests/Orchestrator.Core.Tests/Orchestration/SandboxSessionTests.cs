using System.Globalization;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Orchestration;

/// <summary>Commands that need the same sandbox share one bubblewrap sandbox (a session) once the first ones started it.</summary>
[TestClass]
public sealed class SandboxSessionTests
{
    [ClassInitialize]
    public static void RequireBubblewrap(TestContext _) => Sandboxes.RequireBubblewrap();

    private static ExecRequest Shell(string line, TimeSpan? timeout = null) => new() { Command = CommandSpec.FromShell(line), Timeout = timeout };

    /// <summary>The pid the command printed on its first line ($PPID: the session host, or bwrap).</summary>
    private static int ParentOf(CommandResult result) => int.Parse(result.Stdout.Text.Split('\n')[0], CultureInfo.InvariantCulture);

    /// <summary>The process's command line, or "" when it has ended (a sandbox of its own ends with its command).</summary>
    private static string CommandLineOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    /// <summary>
    /// Runs commands until one is started by a session host (the second command needing a sandbox
    /// starts the session in the background; it is used once it is up) and returns that host's pid.
    /// </summary>
    private static async Task<int> AwaitSessionAsync(RunOptions options)
    {
        for (int i = 0; i < 100; i++)
        {
            var probe = await new OrchestratorClient().ExecAsync(Shell("echo $PPID"), options);
            int parent = ParentOf(probe.Commands[0]);
            if (CommandLineOf(parent).Contains("Orchestrator.SandboxHost.dll", StringComparison.Ordinal))
            {
                return parent;
            }

            await Task.Delay(50);
        }

        Assert.Fail("no sandbox session came up");
        return 0;
    }

    [TestMethod]
    public async Task OneOffCommandsGetTheirOwnSandboxAndLaterOnesShareASessionAndItsPrivateTmp()
    {
        using var dir = new TempDirectory();
        var options = Sandboxes.Options(dir);
        var first = await new OrchestratorClient().ExecAsync(Shell("echo $PPID"), options);
        Assert.IsFalse(CommandLineOf(ParentOf(first.Commands[0])).Contains("SandboxHost", StringComparison.Ordinal), "the first command runs in a sandbox of its own");

        int host = await AwaitSessionAsync(options);
        var result = await new OrchestratorClient().RunAsync(
            [Shell("echo $PPID; echo shared > /tmp/session-marker"), Shell("echo $PPID; cat /tmp/session-marker")], options);

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        Assert.AreEqual(host, ParentOf(result.Commands[0]));
        Assert.AreEqual(host, ParentOf(result.Commands[1]), "later commands are started by the same session host");
        StringAssert.EndsWith(result.Commands[1].Stdout.Text, "shared\n");
        Assert.IsFalse(File.Exists("/tmp/session-marker"), "the session's /tmp is still private");
        RunFiles.AssertValidRun(result.ManifestPath);
    }

    [TestMethod]
    public async Task ASessionReportsExactExitCodesAndSignals()
    {
        using var dir = new TempDirectory();
        var options = Sandboxes.Options(dir);
        await AwaitSessionAsync(options);
        var result = await new OrchestratorClient().RunAsync([Shell("exit 0"), Shell("exit 37")], options);
        var signalled = await new OrchestratorClient().ExecAsync(Shell("kill -SEGV $$"), options);

        Assert.AreEqual(37, result.ExitCode);
        Assert.AreEqual("SIGSEGV", signalled.Commands[0].Signal);
        Assert.AreEqual(139, signalled.Commands[0].ExitCode);
    }

    [TestMethod]
    public async Task TheSessionKeepsTheSandboxRulesAndTimeoutsEndTheTree()
    {
        using var dir = new TempDirectory();
        using var outside = Sandboxes.OutsideTmp();
        var options = Sandboxes.Options(dir, ApprovalPolicy.Never);
        await AwaitSessionAsync(options);

        var denied = await new OrchestratorClient().ExecAsync(Shell($"echo x > {outside.Combine("x")}"), options);
        var timedOut = await new OrchestratorClient().ExecAsync(Shell("echo $PPID; trap '' TERM; sleep 300 & echo $! > child.pid; wait", TimeSpan.FromMilliseconds(500)), options);

        Assert.AreEqual(ToolRunStatus.Denied, denied.ToolRuns[0].Status);
        StringAssert.Contains(denied.Commands[0].Stderr.Text, "Read-only file system");
        StringAssert.Contains(CommandLineOf(ParentOf(timedOut.Commands[0])), "Orchestrator.SandboxHost.dll");
        Assert.AreEqual(ToolRunStatus.TimedOut, timedOut.ToolRuns[0].Status);
        int child = int.Parse((await File.ReadAllTextAsync(dir.Combine("ws", "child.pid"))).Trim(), CultureInfo.InvariantCulture);
        for (int i = 0; i < 100 && Launches.ProcessExists(child); i++)
        {
            await Task.Delay(50);
        }

        Assert.IsFalse(Launches.ProcessExists(child), "a child that ignores SIGTERM survived the timeout inside the session");
    }

    [TestMethod]
    public async Task ADeadHostIsReplacedAndAReplacedWorkspaceGetsANewSandbox()
    {
        using var dir = new TempDirectory();
        var options = Sandboxes.Options(dir);
        int host = await AwaitSessionAsync(options);
        System.Diagnostics.Process.GetProcessById(host).Kill();
        for (int i = 0; i < 100 && Launches.ProcessExists(host); i++)
        {
            await Task.Delay(20);
        }

        var afterKill = await new OrchestratorClient().ExecAsync(Shell("echo $PPID"), options);
        Assert.IsTrue(afterKill.Succeeded, afterKill.StatusDetail);

        Directory.Delete(dir.Combine("ws"), recursive: true);
        Directory.CreateDirectory(dir.Combine("ws"));
        var afterReplace = await new OrchestratorClient().ExecAsync(Shell("echo fresh > written.txt"), options);

        Assert.IsTrue(afterReplace.Succeeded, afterReplace.StatusDetail);
        Assert.AreEqual("fresh\n", await File.ReadAllTextAsync(dir.Combine("ws", "written.txt")), "the write must land in the new workspace, not the deleted one");
    }
}
