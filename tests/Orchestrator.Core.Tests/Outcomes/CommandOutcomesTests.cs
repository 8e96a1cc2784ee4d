using Orchestrator.Core.Commands;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Outcomes;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Outcomes;

/// <summary>
/// The one classification every door renders, from real runs: each kind of outcome gets its ORCH
/// code, its CLI exit code and its catalogue text, and the drifted cases are decided once.
/// </summary>
[TestClass]
public sealed class CommandOutcomesTests
{
    private static ExecRequest Shell(string line, TimeSpan? timeout = null, string? title = null) =>
        new() { Command = CommandSpec.FromShell(line), Timeout = timeout, Title = title };

    private static async Task<(CommandOutcome Outcome, RunResult Run)> RunAsync(TempDirectory dir, ExecRequest request, bool ignoreExitCode = false, RunOptions? options = null)
    {
        options ??= Sandboxes.Options(dir, ApprovalPolicy.Never, SandboxMode.DangerFullAccess);
        var run = await new OrchestratorClient().ExecAsync(request, options);
        return (CommandOutcomes.Of(run.ToolRuns[0], run.ManifestPath, ignoreExitCode, options.DrainTimeout), run);
    }

    [TestMethod]
    public async Task ASuccessFailsNothingAndExitsZero()
    {
        using var dir = new TempDirectory();
        var (outcome, _) = await RunAsync(dir, Shell("true"));

        Assert.AreEqual(OutcomeKind.Succeeded, outcome.Kind);
        Assert.IsNull(outcome.Error);
        Assert.AreEqual(ExitCodes.Success, outcome.CliExitCode);
    }

    [TestMethod]
    public async Task ANonZeroExitIsOrch0100WithTheCommandsOwnCode()
    {
        using var dir = new TempDirectory();
        var (outcome, run) = await RunAsync(dir, Shell("exit 3"));

        Assert.AreEqual(OutcomeKind.ExitCode, outcome.Kind);
        Assert.AreEqual("ORCH0100", outcome.Error!.Code);
        Assert.AreEqual(OutcomeSeverity.Error, outcome.Error.Severity);
        Assert.AreEqual($"The command \"exit 3\" exited with code 3. Manifest: {run.ManifestPath}", outcome.Error.Text);
        Assert.AreEqual(3, outcome.CliExitCode);
    }

    [TestMethod]
    public async Task IgnoreExitCodeAcceptsAnExitCodeAndADeathByASignalAsExecDoesButSaysSo()
    {
        using var dir = new TempDirectory();
        var (exited, _) = await RunAsync(dir, Shell("exit 4"), ignoreExitCode: true);
        var (killed, _) = await RunAsync(dir, Shell("kill -SEGV $$"), ignoreExitCode: true);

        foreach (var outcome in new[] { exited, killed })
        {
            Assert.AreEqual(OutcomeKind.ExitCodeIgnored, outcome.Kind);
            Assert.IsNull(outcome.Error);
            Assert.AreEqual("ORCH1002", outcome.Notices.Single().Code);
            Assert.AreEqual(OutcomeSeverity.Message, outcome.Notices.Single().Severity);
        }
    }

    [TestMethod]
    public async Task ADeathByASignalIsOrch0105AndExits128PlusTheSignal()
    {
        using var dir = new TempDirectory();
        var (outcome, _) = await RunAsync(dir, Shell("kill -SEGV $$"));

        Assert.AreEqual(OutcomeKind.KilledBySignal, outcome.Kind);
        Assert.AreEqual("ORCH0105", outcome.Error!.Code);
        StringAssert.Contains(outcome.Error.Text, "was killed by SIGSEGV");
        Assert.AreEqual(128 + 11, outcome.CliExitCode);
    }

    [TestMethod]
    public async Task ATimeoutIsNeverIgnoredAndNamesTheTimeoutAndTheSignals()
    {
        using var dir = new TempDirectory();
        var (outcome, _) = await RunAsync(dir, Shell("sleep 30", TimeSpan.FromMilliseconds(300)), ignoreExitCode: true);

        Assert.AreEqual(OutcomeKind.TimedOut, outcome.Kind);
        Assert.AreEqual("ORCH0101", outcome.Error!.Code);
        StringAssert.Contains(outcome.Error.Text, "timed out after 300 ms and its process tree was ended (SIGTERM");
        Assert.AreEqual(ExitCodes.TimedOut, outcome.CliExitCode);
    }

    [TestMethod]
    public async Task AStartFailureIsOrch0103WithTheShellsExitCodes()
    {
        using var dir = new TempDirectory();
        var (missing, _) = await RunAsync(dir, new ExecRequest { Command = CommandSpec.FromArgv("no-such-program-orch") }, ignoreExitCode: true);
        var (tooMany, _) = await RunAsync(dir, new ExecRequest { Command = CommandSpec.FromArgv(["/bin/echo", .. Enumerable.Repeat("x", 9001)]) },
            options: Sandboxes.Options(dir, ApprovalPolicy.Never));

        Assert.AreEqual(OutcomeKind.StartFailed, missing.Kind);
        Assert.AreEqual("ORCH0103", missing.Error!.Code, "a start failure is not an exit code IgnoreExitCode could ignore");
        Assert.AreEqual(ExitCodes.CommandNotFound, missing.CliExitCode);
        Assert.AreEqual("ORCH0103", tooMany.Error!.Code);
        Assert.AreEqual(ExitCodes.CannotExecute, tooMany.CliExitCode);
    }

    [TestMethod]
    public async Task ADenialIsOrch0106AndAMissingSandboxOrch0107()
    {
        using var dir = new TempDirectory();
        var untrusted = Sandboxes.Options(dir, ApprovalPolicy.Untrusted);
        var (denied, _) = await RunAsync(dir, Shell("touch x"), options: untrusted);
        var noSandbox = Sandboxes.Options(dir, ApprovalPolicy.Never, bubblewrapPath: dir.Combine("no-such-bwrap"));
        var (unavailable, _) = await RunAsync(dir, Shell("true"), options: noSandbox);

        Assert.AreEqual(OutcomeKind.Denied, denied.Kind);
        Assert.AreEqual("ORCH0106", denied.Error!.Code);
        Assert.AreEqual(ExitCodes.ApprovalDenied, denied.CliExitCode);
        Assert.AreEqual(OutcomeKind.SandboxUnavailable, unavailable.Kind);
        Assert.AreEqual("ORCH0107", unavailable.Error!.Code);
        Assert.AreEqual(ExitCodes.Unavailable, unavailable.CliExitCode);
    }

    [TestMethod]
    public async Task AGuessedRefusalIsTheCommandsOwnFailureWithTheSettingsThatWouldAllowIt()
    {
        using var dir = new TempDirectory();
        var (outcome, _) = await RunAsync(dir, Shell("echo 'cp: x: Permission denied' >&2; exit 5"), options: Sandboxes.Options(dir, ApprovalPolicy.Never));

        Assert.AreEqual(OutcomeKind.ExitCodePossiblyDenied, outcome.Kind);
        Assert.AreEqual("ORCH0100", outcome.Error!.Code);
        StringAssert.Contains(outcome.Error.Text, "possibly denied by the sandbox");
        Assert.AreEqual(5, outcome.CliExitCode);
    }

    [TestMethod]
    public async Task TheTitleIsTheRecordedOneWithSecretsMasked()
    {
        using var dir = new TempDirectory();
        var options = Sandboxes.Options(dir, ApprovalPolicy.Never, SandboxMode.DangerFullAccess) with
        {
            Secrets = Core.Security.SecretSettings.Default with { Values = ["hunter2-long-secret"] },
        };
        var (outcome, _) = await RunAsync(dir, Shell("exit 1", title: "deploy with hunter2-long-secret"), options: options);

        Assert.DoesNotContain("hunter2", outcome.Error!.Text, "every door shows the title the manifest records");
        StringAssert.Contains(outcome.Error.Text, "\"deploy with ***\"");
    }
}
