using System.Text.Json;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Orchestration.Approvals;
using Orchestrator.Core.Review;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Runs.State;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Review;

/// <summary>The review hand-off over manifests of real runs made through the OrchestratorClient.</summary>
[TestClass]
public sealed class ReviewServiceTests
{
    private const string Task = "review-tests";

    private static RunOptions Options(TempDirectory dir) => new()
    {
        RunsRoot = dir.Combine(".runs"),
        TaskId = Task,
        WorkingDirectory = dir.Path,
        Sandbox = Orchestrator.Core.Orchestration.Sandbox.SandboxSettings.None,
    };

    private static ExecRequest Shell(string line, string? id = null) => new() { Command = CommandSpec.FromShell(line), Id = id };

    /// <summary>A request for the test's runs root, reading a fake environment instead of this process's.</summary>
    private static ReviewRequest Request(TempDirectory dir, Dictionary<string, string>? environment = null) => new()
    {
        TaskId = Task,
        RunsRoot = dir.Combine(".runs"),
        StateRoot = dir.Combine("out"),
        WorkingDirectory = dir.Path,
        Environment = name => environment is not null && environment.TryGetValue(name, out string? value) ? value : null,
    };

    [TestMethod]
    public async Task AFailedRunIsReviewedBesideItsManifestWithLogsSummaryAndAnnotations()
    {
        using var dir = new TempDirectory();
        var run = await new OrchestratorClient().RunAsync(
            [Shell("echo compiled", "build"), Shell("echo 'a|b: c, d' >&2; exit 3", "lint"), Shell("echo never", "test")], Options(dir));
        Assert.AreEqual(RunStatus.Failed, run.Status);
        string summary = dir.Combine("step-summary.md");
        await File.WriteAllTextAsync(summary, "# earlier step\n");
        var annotations = new StringWriter();

        var review = await new OrchestratorClient().ReviewAsync(Request(dir, new() { ["GITHUB_STEP_SUMMARY"] = summary, ["GITHUB_ACTIONS"] = "true" })
            with { AnnotationWriter = annotations });

        Assert.AreEqual(Path.Combine(run.RunDirectory, "review.md"), review.ReviewPath);
        Assert.AreEqual(run.RunId, review.RunId);
        Assert.AreEqual("failed", review.Outcome);
        Assert.AreEqual("fail", review.Recommendation);
        Assert.AreEqual("run-status", review.RecommendationSource);
        string markdown = await File.ReadAllTextAsync(review.ReviewPath);
        Assert.AreEqual(review.Markdown, markdown);
        StringAssert.Contains(markdown, "**Outcome:** ❌ failed (exit code 3)");
        StringAssert.Contains(markdown, "[stdout](commands/001-build.stdout.log)");
        StringAssert.Contains(markdown, "[stderr](commands/002-lint.stderr.log)");
        StringAssert.Contains(markdown, "[events.jsonl](events.jsonl)");
        StringAssert.Contains(markdown, "⏭️ skipped");
        var lintRow = markdown.Split('\n').Single(l => l.StartsWith("| 2 |", StringComparison.Ordinal));
        StringAssert.Contains(lintRow, "a\\|b", "the pipe in the command is escaped");
        StringAssert.Contains(lintRow, "| 3 |", "exit code column");

        string summaryText = await File.ReadAllTextAsync(summary);
        StringAssert.StartsWith(summaryText, "# earlier step\n", "the step summary is appended to, never rewritten");
        StringAssert.Contains(summaryText, markdown);

        Assert.AreEqual(1, review.FailedCommands);
        string annotation = review.Annotations.Single();
        Assert.AreEqual(annotation + Environment.NewLine, annotations.ToString());
        StringAssert.StartsWith(annotation, "::error title=lint failed::");
        StringAssert.Contains(annotation, "`echo 'a|b: c, d' >&2; exit 3` exited with code 3");
        StringAssert.Contains(annotation, Path.Combine(run.RunDirectory, "commands/002-lint.stderr.log"));
    }

    [TestMethod]
    public async Task OutsideGitHubActionsThereAreNoAnnotationsAndNoStepSummary()
    {
        using var dir = new TempDirectory();
        await new OrchestratorClient().ExecAsync(Shell("exit 1"), Options(dir));

        var review = await new OrchestratorClient().ReviewAsync(Request(dir));

        Assert.AreEqual(1, review.FailedCommands);
        Assert.AreEqual(0, review.Annotations.Count);
        Assert.IsNull(review.StepSummaryPath);
    }

    [TestMethod]
    public async Task TheLatestRunByStartTimeIsReviewedUnlessARunIdIsGiven()
    {
        using var dir = new TempDirectory();
        var first = await new OrchestratorClient().ExecAsync(Shell("echo one"), Options(dir));
        var second = await new OrchestratorClient().ExecAsync(Shell("exit 4"), Options(dir));

        var latest = await new OrchestratorClient().ReviewAsync(Request(dir));
        var chosen = await new OrchestratorClient().ReviewAsync(Request(dir) with { RunId = first.RunId });
        var byPath = await new OrchestratorClient().ReviewAsync(new ReviewRequest { ManifestPath = first.RunDirectory, Environment = _ => null });

        Assert.AreEqual(second.RunId, latest.RunId);
        Assert.AreEqual("fail", latest.Recommendation);
        Assert.AreEqual(first.RunId, chosen.RunId);
        Assert.AreEqual("pass", chosen.Recommendation);
        Assert.AreEqual(first.ManifestPath, byPath.ManifestPath);
    }

    [TestMethod]
    public async Task TheTaskStateStoreDecidesTheLatestRunWhenItHasEntries()
    {
        using var dir = new TempDirectory();
        var first = await new OrchestratorClient().ExecAsync(Shell("echo one"), Options(dir));
        await new OrchestratorClient().ExecAsync(Shell("echo two"), Options(dir));
        // A run the store knows as the newest (greatest run id) whose manifest says it started first:
        // scanning by startedAt would pick the second run, the store picks this one.
        // (Started now, not in 2099: a run id in the future is not believed.)
        string newestId = RunId.New(DateTimeOffset.UtcNow.AddSeconds(1));
        string newest = Path.Combine(dir.Combine(".runs"), Task, "cli", newestId);
        Directory.CreateDirectory(newest);
        File.Copy(first.ManifestPath, Path.Combine(newest, "manifest.json"));
        TaskStateStore.Open(dir.Combine("out"), Task).Append(new TaskStateEntry
        {
            RunId = newestId, Status = RunStatus.Succeeded, Timestamp = DateTimeOffset.UtcNow, Runner = RunnerKind.Sdk,
            ManifestPath = Path.Combine(newest, "manifest.json"),
        });

        // No StateRoot given: out/ beside the runs root, where runs append their state.
        var review = await new OrchestratorClient().ReviewAsync(Request(dir) with { StateRoot = null });

        Assert.AreEqual(Path.Combine(newest, "manifest.json"), review.ManifestPath);
    }

    [TestMethod]
    public async Task AnEscalatedRunShowsItsApprovalAndTheSandboxEvidence()
    {
        Sandboxes.RequireBubblewrap();
        using var dir = new TempDirectory();
        using var outside = Sandboxes.OutsideTmp();
        string line = $"echo escalated > {outside.Combine("notes.txt")}";
        var rule = new PreApproval(["sh", "-c"], ApprovalAction.Escalate, ApprovalScope.Persistent, "writes release notes", "orchestrator.yaml:4:7");
        var options = Sandboxes.Options(dir, ApprovalPolicy.OnFailure, preApprovals: [rule]) with { TaskId = Task, RunsRoot = dir.Combine(".runs") };
        var run = await new OrchestratorClient().ExecAsync(new ExecRequest { Command = CommandSpec.FromArgv(["sh", "-c", line]) }, options);
        Assert.IsTrue(run.Succeeded, run.StatusDetail);

        var review = await new OrchestratorClient().ReviewAsync(Request(dir) with { Annotations = true });

        Assert.AreEqual("pass", review.Recommendation);
        Assert.AreEqual(0, review.FailedCommands, "a sandbox refusal that the escalation fixed is not a failure");
        Assert.AreEqual(0, review.Annotations.Count);
        StringAssert.Contains(review.Markdown, "## Approvals");
        StringAssert.Contains(review.Markdown, "| tool-001 | escalate |");
        StringAssert.Contains(review.Markdown, "writes release notes");
        StringAssert.Contains(review.Markdown, "## Sandbox escalations");
        StringAssert.Contains(review.Markdown, "Read-only file system");
        StringAssert.Contains(review.Markdown, "(attempt 2)");
    }

    [TestMethod]
    public async Task ACorruptedManifestIsAClearError()
    {
        using var dir = new TempDirectory();
        var run = await new OrchestratorClient().ExecAsync(Shell("echo one"), Options(dir));
        await File.WriteAllTextAsync(run.ManifestPath, "{\"taskId\": \"review-tests\", \"runId\": ");

        var ex = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => new OrchestratorClient().ReviewAsync(Request(dir) with { RunId = run.RunId }));

        Assert.AreEqual(OrchestratorErrorCode.CorruptRunRecord, ex.Code);
        StringAssert.Contains(ex.Message, run.ManifestPath);
        StringAssert.Contains(ex.Message, "not valid JSON");
        Assert.IsFalse(File.Exists(Path.Combine(run.RunDirectory, "review.md")));

        var latest = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => new OrchestratorClient().ReviewAsync(Request(dir)));
        Assert.AreEqual(OrchestratorErrorCode.CorruptRunRecord, latest.Code, "the only run is unreadable: not 'no runs'");
    }

    [TestMethod]
    public async Task JsonThatIsNotAManifestIsAClearError()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("manifest.json");
        await File.WriteAllTextAsync(path, "[1, 2, 3]");

        var ex = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => new OrchestratorClient().ReviewAsync(new ReviewRequest { ManifestPath = path }));

        Assert.AreEqual(OrchestratorErrorCode.CorruptRunRecord, ex.Code);
        StringAssert.Contains(ex.Message, "not a run manifest");
    }

    [TestMethod]
    public async Task AMissingRunOrTaskIsRunNotFoundAndABadRunIdIsInvalid()
    {
        using var dir = new TempDirectory();

        var none = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => new OrchestratorClient().ReviewAsync(Request(dir)));
        var missing = await Assert.ThrowsExactlyAsync<OrchestratorException>(() =>
            new OrchestratorClient().ReviewAsync(Request(dir) with { RunId = "2025-11-03T23-58-59-546Z-49371323" }));
        var malformed = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => new OrchestratorClient().ReviewAsync(Request(dir) with { RunId = "../x" }));
        var noFile = await Assert.ThrowsExactlyAsync<OrchestratorException>(() =>
            new OrchestratorClient().ReviewAsync(new ReviewRequest { ManifestPath = dir.Combine("nope.json") }));

        Assert.AreEqual(OrchestratorErrorCode.RunNotFound, none.Code);
        StringAssert.Contains(none.Message, "has no runs");
        Assert.AreEqual(OrchestratorErrorCode.RunNotFound, missing.Code);
        StringAssert.Contains(missing.Message, "2025-11-03T23-58-59-546Z-49371323");
        Assert.AreEqual(OrchestratorErrorCode.InvalidRunId, malformed.Code);
        Assert.AreEqual(OrchestratorErrorCode.RunNotFound, noFile.Code);
    }

    [TestMethod]
    public async Task AnUnwritableStepSummaryIsAClearError()
    {
        using var dir = new TempDirectory();
        await new OrchestratorClient().ExecAsync(Shell("true"), Options(dir));

        var ex = await Assert.ThrowsExactlyAsync<OrchestratorException>(() =>
            new OrchestratorClient().ReviewAsync(Request(dir, new() { ["GITHUB_STEP_SUMMARY"] = dir.Combine("no-such-dir", "summary.md") })));

        Assert.AreEqual(OrchestratorErrorCode.RunsRootNotWritable, ex.Code);
        StringAssert.Contains(ex.Message, "GITHUB_STEP_SUMMARY");
    }
}
