using Orchestrator.Core.Commands;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Exec;

/// <summary>Commands on a real pseudo-terminal: posix_openpt, a new session, the slave as controlling terminal.</summary>
[TestClass]
public sealed class PtyTests
{
    private static RunOptions Options(TempDirectory dir, bool sandboxed) => new()
    {
        RunsRoot = dir.Combine("runs"),
        TaskId = "pty",
        WorkingDirectory = dir.Path,
        Sandbox = sandboxed ? SandboxSettings.Default : SandboxSettings.None,
        KillGracePeriod = TimeSpan.FromMilliseconds(200),
    };

    private static ExecRequest Pty(string line, TerminalSize? size = null, TimeSpan? timeout = null) =>
        new() { Command = CommandSpec.FromShell(line), UsePty = true, Terminal = size, Timeout = timeout };

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task StdinAndStdoutAreATerminalAndTtyNamesADevPtsDevice(bool sandboxed)
    {
        if (sandboxed)
        {
            Sandboxes.RequireBubblewrap();
        }

        using var dir = new TempDirectory();
        var result = await new OrchestratorClient().ExecAsync(Pty("test -t 0 -a -t 1 && echo is-a-terminal; tty"), Options(dir, sandboxed));

        Assert.IsTrue(result.Succeeded, result.StatusDetail + result.Commands[0].Stdout.Text);
        string text = result.Commands[0].Stdout.Text;
        StringAssert.Contains(text, "is-a-terminal\n");
        StringAssert.Matches(text, new System.Text.RegularExpressions.Regex(@"^/dev/pts/\d+$", System.Text.RegularExpressions.RegexOptions.Multiline));
        RunFiles.AssertValidRun(result.ManifestPath);
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        Assert.IsTrue(manifest.RootElement.GetProperty("commands")[0].GetProperty("pty").GetBoolean());
        var chunks = RunFiles.ReadEvents(result.EventsPath).Select(e => e.Payload).OfType<Orchestrator.Core.Events.ExecChunkPayload>().ToList();
        Assert.IsTrue(chunks.Count > 0 && chunks.All(c => c.Stream == "pty"), "terminal output is one merged stream");
    }

    [TestMethod]
    public async Task PipesAreStillTheDefault()
    {
        using var dir = new TempDirectory();
        var result = await new OrchestratorClient().ExecAsync(new ExecRequest { Command = CommandSpec.FromShell("test -t 1 || echo not-a-terminal") }, Options(dir, sandboxed: false));

        Assert.AreEqual("not-a-terminal\n", result.Commands[0].Stdout.Text);
    }

    [TestMethod]
    public async Task SttySizeReportsTheConfiguredSize()
    {
        using var dir = new TempDirectory();
        var result = await new OrchestratorClient().ExecAsync(Pty("stty size", new TerminalSize(77, 33)), Options(dir, sandboxed: false));

        Assert.AreEqual("33 77\n", result.Commands[0].Stdout.Text);
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        Assert.AreEqual(77, manifest.RootElement.GetProperty("commands")[0].GetProperty("terminal").GetProperty("columns").GetInt32());
    }

    [TestMethod]
    public async Task ColoursAndProgressBarsAreReadableInTheManifestAndExactInTheRawLog()
    {
        using var dir = new TempDirectory();
        const string script = @"printf '\033[31mred\033[0m text\n'; printf 'progress 10%%\rprogress 50%%\rprogress 100%%\n'; printf '\033]0;window title\007done\n'";
        var result = await new OrchestratorClient().ExecAsync(Pty(script), Options(dir, sandboxed: false));

        Assert.AreEqual("red text\nprogress 100%\ndone\n", result.Commands[0].Stdout.Text);
        string raw = await File.ReadAllTextAsync(result.Commands[0].StdoutLogPath!);
        StringAssert.Contains(raw, "\u001b[31mred\u001b[0m text\r\n");
        StringAssert.Contains(raw, "progress 10%\rprogress 50%\rprogress 100%\r\n");
    }

    [TestMethod]
    public async Task AProgramWaitingForTerminalInputIsBoundedByTheTimeout()
    {
        using var dir = new TempDirectory();
        var result = await new OrchestratorClient().ExecAsync(Pty("read answer; echo got $answer", timeout: TimeSpan.FromMilliseconds(500)), Options(dir, sandboxed: false));

        Assert.AreEqual(CommandStatus.TimedOut, result.Commands[0].Status);
        Assert.AreEqual(ToolRunStatus.TimedOut, result.ToolRuns[0].Status);
    }

    [TestMethod]
    public void TheTerminalCanBeResizedWhileOpen()
    {
        using var terminal = PseudoTerminal.Open(new TerminalSize(80, 24));
        terminal.Resize(new TerminalSize(100, 50));

        StringAssert.StartsWith(terminal.SlavePath, "/dev/pts/");
        Assert.ThrowsExactly<OrchestratorException>(() => terminal.Resize(new TerminalSize(0, 10)));
    }
}
