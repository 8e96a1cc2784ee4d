using System.Diagnostics;
using System.Text.Json;
using Orchestrator.Cli.Tests.Support;
using Orchestrator.Core.Events;

namespace Orchestrator.Cli.Tests;

/// <summary>Bad input gets a message on stderr and a documented exit code (docs/cli.md#exit-codes), and no run is started.</summary>
[TestClass]
public sealed class ExecBadInputTests
{
    [TestMethod]
    [DataRow(new[] { "exec", "--no-such-flag", "--", "true" }, "--no-such-flag", DisplayName = "unknown flag before --")]
    [DataRow(new[] { "--no-such-flag" }, "--no-such-flag", DisplayName = "unknown root flag")]
    [DataRow(new[] { "exec" }, "needs a command", DisplayName = "exec without a command")]
    [DataRow(new[] { "exec", "--" }, "needs a command", DisplayName = "exec with nothing after --")]
    [DataRow(new[] { "exec", "--env", "NOEQUALS", "--", "true" }, "NAME=value", DisplayName = "--env without =")]
    [DataRow(new[] { "exec", "--env", "=value", "--", "true" }, "NAME=value", DisplayName = "--env without a name")]
    [DataRow(new[] { "exec", "--timeout", "abc", "--", "true" }, "error ORCH0006: Invalid value \"abc\" for parameter --timeout: not a duration", DisplayName = "--timeout abc")]
    [DataRow(new[] { "exec", "--max-attempts", "0", "--", "true" }, "error ORCH0006: Invalid value \"0\" for parameter --max-attempts: use a number from 1 to 20", DisplayName = "--max-attempts 0")]
    [DataRow(new[] { "exec", "--columns", "5000", "--pty", "--", "true" }, "error ORCH0006: Invalid value \"5000\" for parameter --columns: use 1-1000", DisplayName = "--columns 5000")]
    [DataRow(new[] { "exec", "--kill-grace", "soon", "--", "true" }, "for parameter --kill-grace", DisplayName = "--kill-grace soon")]
    [DataRow(new[] { "start", "--max-attempts", "99" }, "error ORCH0006: Invalid value \"99\" for parameter --max-attempts", DisplayName = "start --max-attempts 99")]
    [DataRow(new[] { "resume", "latest", "--sandbox", "nope" }, "nope", DisplayName = "resume --sandbox unknown mode")]
    [DataRow(new[] { "exec", "--timeout", "-5", "--", "true" }, "--timeout", DisplayName = "--timeout negative")]
    [DataRow(new[] { "exec", "--sandbox", "nope", "--", "true" }, "nope", DisplayName = "--sandbox unknown mode")]
    [DataRow(new[] { "exec", "--task", "../escape", "--", "true" }, "--task", DisplayName = "--task with a path")]
    [DataRow(new[] { "exec", "--task", "", "--", "true" }, "--task: the task id is empty", DisplayName = "--task empty")]
    [DataRow(new[] { "start", "--task", "" }, "--task: the task id is empty", DisplayName = "start --task empty")]
    [DataRow(new[] { "exec", "--json", "--jsonl", "--", "true" }, "cannot be used together", DisplayName = "--json with --jsonl")]
    [DataRow(new[] { "exec", "--cwd", "does-not-exist", "--", "true" }, "does not exist", DisplayName = "--cwd missing")]
    [DataRow(new[] { "exec", "--session", "bad id!", "--", "true" }, "--session", DisplayName = "--session invalid id")]
    public async Task UsageErrorsExit64WithAMessageAndStartNoRun(string[] args, string expectedMessage)
    {
        using var dir = new TempDirectory();
        var outcome = await CliProcess.RunAsync(dir.Path, args);

        Assert.AreEqual(64, outcome.ExitCode, outcome.ToString());
        StringAssert.Contains(outcome.Stderr, expectedMessage);
        Assert.AreEqual(string.Empty, outcome.Stdout);
        Assert.IsFalse(Directory.Exists(dir.Combine(".runs")), "a usage error must not start a run");
    }

    [TestMethod]
    public async Task AnInvalidConfigurationFileExits78NamingTheFile()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("bad.yaml"), "sandbox:\n  mode: sideways\n");
        var outcome = await CliProcess.RunAsync(dir.Path, "exec", "--config", "bad.yaml", "--", "true");

        Assert.AreEqual(78, outcome.ExitCode, outcome.ToString());
        StringAssert.Contains(outcome.Stderr, "bad.yaml");
    }

    [TestMethod]
    public async Task ReaderClosingStdoutEarlyStillRecordsTheWholeRunAndExits74()
    {
        using var dir = new TempDirectory();
        string gate = dir.Combine("gate");
        using var process = CliProcess.Start(dir.Path, "exec", "--jsonl", "--sandbox", "danger-full-access", "--", "sh", "-c",
            $"while [ ! -e '{gate}' ]; do sleep 0.05; done; for i in $(seq 1 3000); do echo line $i; done; echo finished");
        Task<string> stderr = process.StandardError.ReadToEndAsync();

        // Read the first event, then go away as `head -1` would; only then does the command print.
        string first = (await process.StandardOutput.ReadLineAsync())!;
        process.StandardOutput.Close();
        File.WriteAllText(gate, "go");
        await process.WaitForExitAsync();

        Assert.AreEqual(74, process.ExitCode, await stderr);
        StringAssert.Contains(await stderr, "stdout was closed");
        var begin = (RunBeginPayload)RunRecords.ParseJsonl([first])[0].Payload;
        using var manifest = RunRecords.AssertValidManifest(begin.ManifestPath);
        Assert.AreEqual("succeeded", manifest.RootElement.GetProperty("status").GetString());
        Assert.AreEqual(0, manifest.RootElement.GetProperty("exitCode").GetInt32());

        // The command ran to its end and every event is in the run's own log.
        string log = File.ReadAllText(Path.Combine(Path.GetDirectoryName(begin.ManifestPath)!, "commands", "001-sh.stdout.log"));
        StringAssert.EndsWith(log, "line 3000\nfinished\n");
        var verify = await CliProcess.RunAsync(dir.Path, "verify", begin.ManifestPath);
        Assert.AreEqual(0, verify.ExitCode, verify.ToString());
    }
}
