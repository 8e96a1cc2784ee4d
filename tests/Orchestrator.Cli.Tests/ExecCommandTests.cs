using System.Text.Json;
using Orchestrator.Cli.Tests.Support;
using Orchestrator.Core.Events;

namespace Orchestrator.Cli.Tests;

[TestClass]
public sealed class ExecCommandTests
{
    [TestMethod]
    public async Task ExitCodeIsTheCommandsAndEveryJsonlLineIsASchemaValidEvent()
    {
        using var dir = new TempDirectory();
        var outcome = await CliProcess.RunAsync(dir.Path, "exec", "--jsonl", "--task", "cli-e2e", "--", "sh", "-c", "echo out; echo err >&2; exit 7");

        Assert.AreEqual(7, outcome.ExitCode, outcome.ToString());
        var events = RunRecords.ParseJsonl(outcome.StdoutLines);
        Assert.AreEqual(ExecEventTypes.RunBegin, events[0].Type);
        Assert.AreEqual(ExecEventTypes.RunSummary, events[^1].Type);
        var chunks = events.Select(e => e.Payload).OfType<ExecChunkPayload>().ToList();
        CollectionAssert.AreEquivalent(new[] { "out\n", "err\n" }, chunks.Select(c => c.Text).ToArray());
        Assert.AreEqual(7, ((RunSummaryPayload)events[^1].Payload).ExitCode);

        string manifestPath = RunRecords.ManifestPathOf(events);
        StringAssert.StartsWith(manifestPath, Path.Combine(dir.Path, ".runs", "cli-e2e", "cli") + "/");
        using var manifest = RunRecords.AssertValidManifest(manifestPath);
        Assert.AreEqual("cli", manifest.RootElement.GetProperty("runner").GetString());
        Assert.AreEqual("failed", manifest.RootElement.GetProperty("status").GetString());
        Assert.AreEqual(7, manifest.RootElement.GetProperty("exitCode").GetInt32());

        // stdout carried exactly what events.jsonl holds.
        string eventsPath = Path.Combine(Path.GetDirectoryName(manifestPath)!, "events.jsonl");
        CollectionAssert.AreEqual(File.ReadAllLines(eventsPath), outcome.StdoutLines.ToArray());
    }

    [TestMethod]
    public async Task JsonlIsTheDefaultWhenStdoutIsNotATerminal()
    {
        using var dir = new TempDirectory();
        var outcome = await CliProcess.RunAsync(dir.Path, "exec", "--", "echo", "hello");

        Assert.AreEqual(0, outcome.ExitCode, outcome.ToString());
        var events = RunRecords.ParseJsonl(outcome.StdoutLines);
        Assert.AreEqual("hello\n", events.Select(e => e.Payload).OfType<ExecChunkPayload>().Single().Text);
    }

    [TestMethod]
    public async Task JsonPrintsOneSummaryDocumentWithTheRecord()
    {
        using var dir = new TempDirectory();
        var outcome = await CliProcess.RunAsync(dir.Path, "exec", "--json", "--runs-root", dir.Combine("runs"), "--", "sh", "-c", "echo summary-text; exit 3");

        Assert.AreEqual(3, outcome.ExitCode, outcome.ToString());
        using var summary = JsonDocument.Parse(outcome.Stdout);
        var root = summary.RootElement;
        Assert.AreEqual("failed", root.GetProperty("status").GetString());
        Assert.AreEqual("failed", root.GetProperty("commandStatus").GetString());
        Assert.AreEqual(3, root.GetProperty("exitCode").GetInt32());
        Assert.AreEqual(3, root.GetProperty("cliExitCode").GetInt32());
        Assert.AreEqual("summary-text\n", root.GetProperty("stdout").GetString());
        string manifestPath = root.GetProperty("manifestPath").GetString()!;
        StringAssert.StartsWith(manifestPath, dir.Combine("runs") + "/");
        RunRecords.AssertValidManifest(manifestPath).Dispose();
    }

    [TestMethod]
    public async Task EnvAndCwdReachTheCommand()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("sub"));
        var outcome = await CliProcess.RunAsync(dir.Path, "exec", "--json", "--cwd", "sub", "--env", "GREETING=a=b", "--env", "OTHER=2", "--", "sh", "-c", "echo \"$GREETING $OTHER $(basename \"$PWD\")\"");

        Assert.AreEqual(0, outcome.ExitCode, outcome.ToString());
        using var summary = JsonDocument.Parse(outcome.Stdout);
        Assert.AreEqual("a=b 2 sub\n", summary.RootElement.GetProperty("stdout").GetString());
    }

    [TestMethod]
    public async Task ATimeoutEndsTheCommandAndExits124()
    {
        using var dir = new TempDirectory();
        var outcome = await CliProcess.RunAsync(dir.Path, "exec", "--json", "--timeout", "300ms", "--", "sleep", "30");

        Assert.AreEqual(124, outcome.ExitCode, outcome.ToString());
        using var summary = JsonDocument.Parse(outcome.Stdout);
        Assert.AreEqual("timed_out", summary.RootElement.GetProperty("commandStatus").GetString());
        StringAssert.Contains(outcome.Stderr, "timed out");
        RunRecords.AssertValidManifest(summary.RootElement.GetProperty("manifestPath").GetString()!).Dispose();
    }

    [TestMethod]
    public async Task AMissingProgramExits127AndIsRecorded()
    {
        using var dir = new TempDirectory();
        var outcome = await CliProcess.RunAsync(dir.Path, "exec", "--json", "--", "no-such-program-xyz");

        Assert.AreEqual(127, outcome.ExitCode, outcome.ToString());
        using var summary = JsonDocument.Parse(outcome.Stdout);
        using var manifest = RunRecords.AssertValidManifest(summary.RootElement.GetProperty("manifestPath").GetString()!);
        Assert.AreEqual("ProgramNotFound", manifest.RootElement.GetProperty("commands")[0].GetProperty("error").GetProperty("code").GetString());
    }

    [TestMethod]
    public async Task ADeniedApprovalExits77AndIsRecorded()
    {
        using var dir = new TempDirectory();

        // untrusted asks before anything off the safe list; the CLI has no prompt without a terminal.
        var outcome = await CliProcess.RunAsync(dir.Path, "exec", "--json", "--approval-policy", "untrusted", "--", "sh", "-c", "echo never-printed");

        Assert.AreEqual(77, outcome.ExitCode, outcome.ToString());
        using var summary = JsonDocument.Parse(outcome.Stdout);
        Assert.AreEqual("denied", summary.RootElement.GetProperty("commandStatus").GetString());
        StringAssert.Contains(outcome.Stderr, "orchestrator: error ORCH0106: The command \"sh -c 'echo never-printed'\" was not allowed to run");
        using var manifest = RunRecords.AssertValidManifest(summary.RootElement.GetProperty("manifestPath").GetString()!);
        Assert.AreEqual("denied", manifest.RootElement.GetProperty("toolRuns")[0].GetProperty("status").GetString());
    }

    [TestMethod]
    public async Task AnUnavailableSandboxWithoutApprovedEscalationExits69()
    {
        using var dir = new TempDirectory();
        var info = CliProcess.StartInfo(dir.Path, ["exec", "--json", "--approval-policy", "never", "--", "true"],
            new Dictionary<string, string> { ["ORCHESTRATOR_BWRAP"] = dir.Combine("no-such-bwrap") });
        var outcome = await CliProcess.RunAsync(info);

        Assert.AreEqual(69, outcome.ExitCode, outcome.ToString());
        using var summary = JsonDocument.Parse(outcome.Stdout);
        Assert.AreEqual("unavailable", summary.RootElement.GetProperty("sandboxState").GetString());
        StringAssert.Contains(outcome.Stderr, "no sandbox is available");
    }

    [TestMethod]
    public async Task PtyGivesTheCommandATerminal()
    {
        using var dir = new TempDirectory();
        var outcome = await CliProcess.RunAsync(dir.Path, "exec", "--json", "--pty", "--", "sh", "-c", "test -t 1 && echo on-a-tty");

        Assert.AreEqual(0, outcome.ExitCode, outcome.ToString());
        using var summary = JsonDocument.Parse(outcome.Stdout);
        StringAssert.Contains(summary.RootElement.GetProperty("stdout").GetString(), "on-a-tty");
    }

    [TestMethod]
    public async Task SandboxAndApprovalFlagsAreRecordedWithTheirSource()
    {
        using var dir = new TempDirectory();
        var outcome = await CliProcess.RunAsync(dir.Path, "exec", "--json", "--sandbox", "read-only", "--approval-policy", "never", "--network", "--", "true");

        Assert.AreEqual(0, outcome.ExitCode, outcome.ToString());
        using var summary = JsonDocument.Parse(outcome.Stdout);
        using var manifest = RunRecords.AssertValidManifest(summary.RootElement.GetProperty("manifestPath").GetString()!);
        Assert.AreEqual("read-only", manifest.RootElement.GetProperty("sandboxMode").GetString());
        Assert.AreEqual("never", manifest.RootElement.GetProperty("approvalPolicy").GetString());
        var sources = manifest.RootElement.GetProperty("settingSources");
        Assert.AreEqual("explicit", sources.GetProperty("sandbox.mode").GetString());
        Assert.AreEqual("explicit", sources.GetProperty("sandbox.network").GetString());
    }

    [TestMethod]
    public async Task OnATerminalOutputIsHumanWithASummaryLine()
    {
        using var dir = new TempDirectory();

        // script(1) gives the CLI a real terminal as stdout.
        var info = CliProcess.StartInfo(dir.Path, ["-qec", $"'{CliProcess.CliPath}' exec -- sh -c 'echo human-output'", "/dev/null"], program: "script");
        var outcome = await CliProcess.RunAsync(info);

        Assert.AreEqual(0, outcome.ExitCode, outcome.ToString());
        StringAssert.Contains(outcome.Stdout, "human-output");
        StringAssert.Contains(outcome.Stdout, "orchestrator: succeeded in");
        Assert.IsFalse(outcome.Stdout.Contains("\"type\":\"run:begin\"", StringComparison.Ordinal), "no JSONL on a terminal");
    }

    [TestMethod]
    public async Task VersionAndHelpWithExamples()
    {
        using var dir = new TempDirectory();
        var version = await CliProcess.RunAsync(dir.Path, "--version");
        Assert.AreEqual(0, version.ExitCode, version.ToString());
        StringAssert.StartsWith(version.Stdout, "0.");

        var help = await CliProcess.RunAsync(dir.Path, "exec", "--help");
        Assert.AreEqual(0, help.ExitCode, help.ToString());
        StringAssert.Contains(help.Stdout, "Examples:");
        foreach (string flag in new[] { "--jsonl", "--json", "--cwd", "--task", "--approval-policy", "--sandbox", "--network", "--pty", "--session", "--timeout", "--env", "--runs-root" })
        {
            StringAssert.Contains(help.Stdout, flag);
        }
    }

    [TestMethod]
    public async Task TheApprovalAndSandboxFlagsAcceptExactlyTheWireNamesOfTheirEnums()
    {
        using var dir = new TempDirectory();
        var help = await CliProcess.RunAsync(dir.Path, "exec", "--help");

        string policies = string.Join("|", Enum.GetValues<Orchestrator.Core.Orchestration.ApprovalPolicy>().Select(v => Orchestrator.Core.Runs.WireNames.Of(v)));
        string modes = string.Join("|", Enum.GetValues<Orchestrator.Core.Orchestration.SandboxMode>().Select(v => Orchestrator.Core.Runs.WireNames.Of(v)));
        StringAssert.Contains(help.Stdout, $"--approval-policy <{policies}>");
        StringAssert.Contains(help.Stdout, $"--sandbox <{modes}>");

        var unknown = await CliProcess.RunAsync(dir.Path, "exec", "--sandbox", "workspace", "--", "true");
        Assert.AreEqual(64, unknown.ExitCode, unknown.ToString());
    }
}
