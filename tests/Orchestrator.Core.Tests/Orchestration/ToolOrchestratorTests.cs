using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Orchestration.Approvals;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Orchestration;

/// <summary>Approval, sandbox denial, escalation and retries through the ToolOrchestrator, with real bubblewrap.</summary>
[TestClass]
public sealed class ToolOrchestratorTests
{
    [ClassInitialize]
    public static void RequireBubblewrap(TestContext _) => Sandboxes.RequireBubblewrap();

    private static ExecRequest Shell(string line) => new() { Command = CommandSpec.FromShell(line) };

    private static ApprovalSubject EscalationOf(RunOptions options, string line, string task = "sandbox-tests") =>
        new(ApprovalAction.Escalate, ApprovalSubject.Tokens(CommandSpec.FromShell(line)), options.WorkingDirectory!, task, "2025-01-01T00-00-00-000Z-00000000");

    [TestMethod]
    public async Task ADeniedWriteIsRetriedEscalatedWithACachedApprovalAndRecorded()
    {
        using var dir = new TempDirectory();
        using var outside = Sandboxes.OutsideTmp();
        string target = outside.Combine("escalated.txt");
        string line = $"echo escalated > {target}";
        var options = Sandboxes.Options(dir, ApprovalPolicy.OnFailure);
        ApprovalCache.Open(options.Approvals.CachePath!).Grant(EscalationOf(options, line), ApprovalScope.Persistent, "release-manager", "writes the release notes", DateTimeOffset.UtcNow);

        var result = await new OrchestratorClient().ExecAsync(Shell(line), options);

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        Assert.AreEqual("escalated\n", await File.ReadAllTextAsync(target));
        var tool = result.ToolRuns.Single();
        Assert.AreEqual(SandboxState.Escalated, tool.SandboxState);
        Assert.AreEqual(ApprovalSource.Cache, tool.ApprovalSource);
        Assert.AreEqual(2, tool.Attempts.Count);
        StringAssert.Contains(tool.Attempts[0].Stderr.Text, "Read-only file system");

        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        var record = manifest.RootElement.GetProperty("toolRuns")[0];
        Assert.AreEqual("cache", record.GetProperty("approvalSource").GetString());
        Assert.AreEqual(1, record.GetProperty("retryCount").GetInt32());
        Assert.AreEqual(2, record.GetProperty("attemptCount").GetInt32());
        Assert.AreEqual("escalated", record.GetProperty("sandboxState").GetString());
        Assert.AreEqual("succeeded", record.GetProperty("status").GetString());
        var attempts = record.GetProperty("attempts");
        Assert.AreEqual("sandboxed", attempts[0].GetProperty("sandbox").GetString());
        Assert.AreEqual("sandbox-denied", attempts[0].GetProperty("retryReason").GetString());
        StringAssert.Contains(attempts[0].GetProperty("evidence").GetString(), "Read-only file system");
        Assert.AreEqual("escalated", attempts[1].GetProperty("sandbox").GetString());
        var approval = manifest.RootElement.GetProperty("approvals")[0];
        Assert.AreEqual("approved", approval.GetProperty("decision").GetString());
        Assert.AreEqual("cache", approval.GetProperty("source").GetString());
        Assert.AreEqual("release-manager", approval.GetProperty("actor").GetString());
        Assert.AreEqual("persistent", approval.GetProperty("scope").GetString());

        var types = RunFiles.ReadEvents(result.EventsPath).Select(e => e.Type).ToList();
        int retry = types.IndexOf(ExecEventTypes.ExecRetry);
        Assert.IsTrue(retry > types.IndexOf(ExecEventTypes.ExecEnd), "exec:retry follows the denied attempt");
        Assert.IsTrue(types.IndexOf(ExecEventTypes.ApprovalDecision) > retry);
        Assert.AreEqual(2, types.Count(t => t == ExecEventTypes.ExecBegin));
        RunFiles.AssertValidRun(result.ManifestPath);
    }

    [TestMethod]
    public async Task UnderNeverTheSameCommandWithoutApprovalFailsClearlyAndDoesNotEscalate()
    {
        using var dir = new TempDirectory();
        using var outside = Sandboxes.OutsideTmp();
        string target = outside.Combine("never.txt");

        var result = await new OrchestratorClient().ExecAsync(Shell($"echo no > {target}"), Sandboxes.Options(dir, ApprovalPolicy.Never));

        Assert.AreEqual(RunStatus.Failed, result.Status);
        Assert.IsFalse(File.Exists(target));
        var tool = result.ToolRuns.Single();
        Assert.AreEqual(ToolRunStatus.Failed, tool.Status, "words in stderr are a possible denial, not a refusal");
        Assert.AreEqual(1, tool.Attempts.Count);
        StringAssert.Contains(tool.StatusDetail, "possibly denied by the sandbox");
        StringAssert.Contains(tool.StatusDetail, "Read-only file system");
        StringAssert.Contains(tool.StatusDetail, "never policy escalates only with an existing approval");
        StringAssert.Contains(result.StatusDetail, "denied");
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        var approval = manifest.RootElement.GetProperty("approvals")[0];
        Assert.AreEqual("denied", approval.GetProperty("decision").GetString());
        Assert.AreEqual("policy:never", approval.GetProperty("actor").GetString());
        Assert.AreEqual("denied", manifest.RootElement.GetProperty("toolRuns")[0].GetProperty("approvalSource").GetString());
        RunFiles.AssertValidRun(result.ManifestPath);
    }

    [TestMethod]
    public async Task UnderNeverAnExistingApprovalStillEscalates()
    {
        using var dir = new TempDirectory();
        using var outside = Sandboxes.OutsideTmp();
        string line = $"echo ok > {outside.Combine("never-approved.txt")}";
        var options = Sandboxes.Options(dir, ApprovalPolicy.Never);
        ApprovalCache.Open(options.Approvals.CachePath!).Grant(EscalationOf(options, line), ApprovalScope.Task, "ci", null, DateTimeOffset.UtcNow);

        var result = await new OrchestratorClient().ExecAsync(Shell(line), options);

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        Assert.AreEqual(ApprovalSource.Cache, result.ToolRuns[0].ApprovalSource);
    }

    [TestMethod]
    public async Task AConfiguredPrefixPreApprovesEscalation()
    {
        using var dir = new TempDirectory();
        using var outside = Sandboxes.OutsideTmp();
        var rule = new PreApproval(["sh", "-c"], ApprovalAction.Escalate, ApprovalScope.Persistent, "release script", "orchestrator.yaml:4:7");
        string script = outside.Combine("script.sh");
        await File.WriteAllTextAsync(script, $"echo config > {outside.Combine("config.txt")}\n");
        var options = Sandboxes.Options(dir, ApprovalPolicy.OnFailure, preApprovals: [rule]);

        var result = await new OrchestratorClient().ExecAsync(new ExecRequest { Command = CommandSpec.FromArgv("sh", "-c", $". {script}") }, options);

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        Assert.AreEqual(ApprovalSource.Config, result.ToolRuns[0].ApprovalSource);
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        Assert.AreEqual("orchestrator.yaml:4:7", manifest.RootElement.GetProperty("approvals")[0].GetProperty("actor").GetString());
    }

    [TestMethod]
    public async Task OnRequestDoesNotEscalateADenialButHonoursARequestedEscalation()
    {
        using var dir = new TempDirectory();
        using var outside = Sandboxes.OutsideTmp();
        string target = outside.Combine("on-request.txt");
        string line = $"echo x > {target}";
        var prompter = new ScriptedPrompter(new ApprovalPromptAnswer(true, ApprovalScope.Once, "alice"));
        var options = Sandboxes.Options(dir, ApprovalPolicy.OnRequest, prompter: prompter);

        var denied = await new OrchestratorClient().ExecAsync(Shell(line), options);
        var requested = await new OrchestratorClient().ExecAsync(Shell(line) with { RequestEscalation = true }, options);

        Assert.AreEqual(ToolRunStatus.Failed, denied.ToolRuns[0].Status);
        StringAssert.Contains(denied.ToolRuns[0].StatusDetail, "on-request");
        Assert.AreEqual(1, denied.ToolRuns[0].Attempts.Count);
        Assert.IsTrue(requested.Succeeded, requested.StatusDetail);
        Assert.AreEqual(SandboxState.Escalated, requested.ToolRuns[0].SandboxState);
        Assert.AreEqual(1, requested.ToolRuns[0].Attempts.Count, "a requested escalation runs outside the sandbox from the first attempt");
        Assert.AreEqual(ApprovalSource.Prompt, requested.ToolRuns[0].ApprovalSource);
        Assert.AreEqual(1, prompter.Asked.Count);
    }

    [TestMethod]
    public async Task APromptAnswerIsRememberedForItsScopeButAOneShotIsNot()
    {
        using var dir = new TempDirectory();
        using var outside = Sandboxes.OutsideTmp();
        string line = $"echo y >> {outside.Combine("prompted.txt")}";
        var once = new ScriptedPrompter(new ApprovalPromptAnswer(true, ApprovalScope.Once, "alice"), null);
        var options = Sandboxes.Options(dir, ApprovalPolicy.OnFailure, prompter: once);

        var first = await new OrchestratorClient().ExecAsync(Shell(line), options);
        var second = await new OrchestratorClient().ExecAsync(Shell(line), options);

        Assert.AreEqual(ApprovalSource.Prompt, first.ToolRuns[0].ApprovalSource);
        Assert.AreEqual(ToolRunStatus.Failed, second.ToolRuns[0].Status, "a one-shot approval must not be reused");
        Assert.AreEqual(2, once.Asked.Count);

        var persistent = new ScriptedPrompter(new ApprovalPromptAnswer(true, ApprovalScope.Persistent, "bob"));
        var remembered = Sandboxes.Options(dir, ApprovalPolicy.OnFailure, prompter: persistent);
        var third = await new OrchestratorClient().ExecAsync(Shell(line), remembered);
        var fourth = await new OrchestratorClient().ExecAsync(Shell(line), remembered);

        Assert.AreEqual(ApprovalSource.Prompt, third.ToolRuns[0].ApprovalSource);
        Assert.AreEqual(ApprovalSource.Cache, fourth.ToolRuns[0].ApprovalSource);
        Assert.AreEqual(1, persistent.Asked.Count);
        StringAssert.Contains(persistent.Asked[0].Why, "Read-only file system");
    }

    [TestMethod]
    public async Task UntrustedRunsSafeCommandsAndAsksForTheRest()
    {
        using var dir = new TempDirectory();
        var options = Sandboxes.Options(dir, ApprovalPolicy.Untrusted);

        var safe = await new OrchestratorClient().ExecAsync(Shell("echo 'quoted words'"), options);
        var compound = await new OrchestratorClient().ExecAsync(Shell("ls -la && git status --short"), options);
        var unsafeRun = await new OrchestratorClient().ExecAsync(Shell("touch built.txt"), options);
        var approved = await new OrchestratorClient().ExecAsync(Shell("touch built.txt"),
            options with { Approvals = options.Approvals with { PreApprovals = [new PreApproval(["touch"], ApprovalAction.Run, ApprovalScope.Persistent, null, "test")] } });

        Assert.IsTrue(safe.Succeeded, safe.StatusDetail);
        Assert.AreEqual(ApprovalSource.NotRequired, safe.ToolRuns[0].ApprovalSource);
        Assert.AreEqual(ToolRunStatus.Denied, compound.ToolRuns[0].Status, "safe only as one plain command");
        Assert.AreEqual(ToolRunStatus.Denied, unsafeRun.ToolRuns[0].Status);
        Assert.AreEqual(0, unsafeRun.ToolRuns[0].Attempts.Count, "an unapproved command must not run at all");
        StringAssert.Contains(unsafeRun.StatusDetail, "untrusted");
        Assert.IsTrue(approved.Succeeded, approved.StatusDetail);
        Assert.AreEqual(SandboxState.Sandboxed, approved.ToolRuns[0].SandboxState, "approval to run is not approval to leave the sandbox");
        RunFiles.AssertValidRun(unsafeRun.ManifestPath);
    }

    [TestMethod]
    public async Task TransientFailuresAreRetriedWithExponentialBackoffUpToTheLimit()
    {
        using var dir = new TempDirectory();
        var retry = RetryPolicy.Default with { TransientExitCodes = [75], InitialDelay = TimeSpan.FromMilliseconds(50) };
        var options = Sandboxes.Options(dir, retry: retry);

        var exhausted = await new OrchestratorClient().ExecAsync(Shell("exit 75"), options);
        var recovers = await new OrchestratorClient().ExecAsync(Shell("n=$(cat count 2>/dev/null || echo 0); echo $((n+1)) > count; [ $n -ge 1 ] || exit 75"), options);

        Assert.AreEqual(3, exhausted.ToolRuns[0].Attempts.Count);
        Assert.AreEqual(ToolRunStatus.Failed, exhausted.ToolRuns[0].Status);
        var retries = RunFiles.ReadEvents(exhausted.EventsPath).Select(e => e.Payload).OfType<ExecRetryPayload>().ToList();
        CollectionAssert.AreEqual(new long[] { 50, 100 }, retries.Select(r => r.DelayMs).ToList());
        Assert.IsTrue(retries.All(r => r.Reason == "transient-exit-code" && r.NextSandbox == "sandboxed"));
        Assert.IsTrue(recovers.Succeeded, recovers.StatusDetail);
        Assert.AreEqual(2, recovers.ToolRuns[0].Attempts.Count);
        using var manifest = RunFiles.ReadManifest(recovers.ManifestPath);
        Assert.AreEqual(1, manifest.RootElement.GetProperty("toolRuns")[0].GetProperty("retryCount").GetInt32());
        RunFiles.AssertValidRun(exhausted.ManifestPath);
    }

    [TestMethod]
    public async Task OutputPatternsMarkFailuresAsTransient()
    {
        using var dir = new TempDirectory();
        var retry = RetryPolicy.Default with { MaxAttempts = 2, InitialDelay = TimeSpan.Zero, TransientOutputPatterns = [new Regex("Connection reset by peer")] };

        var result = await new OrchestratorClient().ExecAsync(Shell("echo 'fetch: Connection reset by peer' >&2; exit 1"), Sandboxes.Options(dir, retry: retry));

        Assert.AreEqual(2, result.ToolRuns[0].Attempts.Count);
        var retryEvent = RunFiles.ReadEvents(result.EventsPath).Select(e => e.Payload).OfType<ExecRetryPayload>().Single();
        Assert.AreEqual("transient-output", retryEvent.Reason);
        Assert.AreEqual("Connection reset by peer", retryEvent.Evidence);
    }

    [TestMethod]
    [DataRow(ApprovalPolicy.Untrusted)]
    [DataRow(ApprovalPolicy.OnFailure)]
    [DataRow(ApprovalPolicy.OnRequest)]
    [DataRow(ApprovalPolicy.Never)]
    public async Task WithoutBubblewrapNothingRunsUnsandboxedWithoutAnApproval(ApprovalPolicy policy)
    {
        using var dir = new TempDirectory();
        var options = Sandboxes.Options(dir, policy, bubblewrapPath: "/nonexistent/bin/bwrap");

        // A command on the untrusted safe list, so every policy gets as far as choosing the sandbox.
        var result = await new OrchestratorClient().ExecAsync(Shell("echo should-not-run"), options);

        Assert.AreEqual(ToolRunStatus.Denied, result.ToolRuns[0].Status);
        Assert.AreEqual(0, result.ToolRuns[0].Attempts.Count, "nothing may run unsandboxed without an approval");
        StringAssert.Contains(result.StatusDetail, "apt-get install -y bubblewrap");
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        Assert.AreEqual("unavailable", manifest.RootElement.GetProperty("toolRuns")[0].GetProperty("sandboxState").GetString());
        Assert.AreEqual("unavailable", manifest.RootElement.GetProperty("sandbox").GetProperty("availability").GetString());
        RunFiles.AssertValidRun(result.ManifestPath);
    }

    [TestMethod]
    public async Task WithoutBubblewrapAnApprovalRunsItUnsandboxedAndSaysSo()
    {
        using var dir = new TempDirectory();
        var rule = new PreApproval(["echo"], ApprovalAction.Escalate, ApprovalScope.Persistent, "trusted", "test");
        var options = Sandboxes.Options(dir, ApprovalPolicy.OnFailure, preApprovals: [rule], bubblewrapPath: "/nonexistent/bin/bwrap");

        var result = await new OrchestratorClient().ExecAsync(Shell("echo ran"), options);

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        Assert.AreEqual("ran\n", result.Commands[0].Stdout.Text);
        Assert.AreEqual(SandboxState.Unavailable, result.ToolRuns[0].SandboxState);
        Assert.AreEqual(ApprovalSource.Config, result.ToolRuns[0].ApprovalSource);
    }

    [TestMethod]
    public async Task ABubblewrapThatCannotSandboxIsReportedAsFailed()
    {
        using var dir = new TempDirectory();
        string fake = dir.Combine("bwrap");
        await File.WriteAllTextAsync(fake, "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = await new OrchestratorClient().ExecAsync(Shell("true"), Sandboxes.Options(dir, ApprovalPolicy.Never, bubblewrapPath: fake));

        Assert.AreEqual(ToolRunStatus.Denied, result.ToolRuns[0].Status);
        Assert.AreEqual(SandboxState.Failed, result.ToolRuns[0].SandboxState);
        StringAssert.Contains(result.StatusDetail, "No permissions to create new namespace");
    }

    [TestMethod]
    public async Task DangerFullAccessRunsWithoutASandboxOrAnApproval()
    {
        using var dir = new TempDirectory();
        using var outside = Sandboxes.OutsideTmp();

        var result = await new OrchestratorClient().ExecAsync(Shell($"echo free > {outside.Combine("free.txt")}"), Sandboxes.Options(dir, ApprovalPolicy.Never, SandboxMode.DangerFullAccess));

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        Assert.AreEqual(SandboxState.Unsandboxed, result.ToolRuns[0].SandboxState);
        Assert.AreEqual(ApprovalSource.NotRequired, result.ToolRuns[0].ApprovalSource);
    }

    [TestMethod]
    public async Task ACorruptApprovalCacheIsSetAsideWithAWarningAndTheRunGoesOn()
    {
        using var dir = new TempDirectory();
        var options = Sandboxes.Options(dir, ApprovalPolicy.Never);
        Directory.CreateDirectory(Path.GetDirectoryName(options.Approvals.CachePath!)!);
        await File.WriteAllTextAsync(options.Approvals.CachePath!, "{\"key\":\"0123\",\"action\":\"esc");

        using var outside = Sandboxes.OutsideTmp();
        var result = await new OrchestratorClient().ExecAsync(Shell($"echo x > {outside.Combine("x")}"), options);

        Assert.AreEqual(ToolRunStatus.Failed, result.ToolRuns[0].Status);
        Assert.IsFalse(File.Exists(options.Approvals.CachePath!), "the corrupt file must be moved aside");
        Assert.AreEqual(1, Directory.GetFiles(Path.GetDirectoryName(options.Approvals.CachePath!)!, "approvals.jsonl.corrupt-*").Length);
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        var warning = manifest.RootElement.GetProperty("warnings")[0];
        Assert.AreEqual("ApprovalCacheCorrupt", warning.GetProperty("code").GetString());
        StringAssert.Contains(warning.GetProperty("message").GetString(), "moved to");
        RunFiles.AssertValidRun(result.ManifestPath);
    }
}
