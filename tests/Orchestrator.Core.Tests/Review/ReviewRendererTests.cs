using System.Text.Json;
using Orchestrator.Core.Review;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Review;

/// <summary>Rendering manifests written by newer writers (pipelines, guardrails, resume, telemetry) and text that could break Markdown.</summary>
[TestClass]
public sealed class ReviewRendererTests
{
    /// <summary>A pipeline parent run as the pipelines and telemetry work will write it: fields this version's RunManifest does not have.</summary>
    private const string PipelineManifest = """
    {
      "schemaVersion": 1, "taskId": "ci", "runId": "2026-11-22T05-00-00-000Z-0000abcd", "parentRunId": "2026-11-22T04-00-00-000Z-00001234",
      "pipelineId": "guardrails", "runner": "cake", "status": "failed", "statusDetail": "1 guardrail failed",
      "startedAt": "2026-11-22T05:00:00.000Z", "completedAt": "2026-11-22T05:01:05.500Z", "cwd": "/repo", "exitCode": 1,
      "approvalPolicy": "on-failure", "sandboxMode": "workspace-write",
      "commands": [
        { "index": 1, "id": "spec-guard", "title": "Spec guard", "command": "orchestrator spec-guard", "status": "skipped",
          "statusDetail": "succeeded in run 2026-11-22T04-00-00-000Z-00001234", "logs": null },
        { "index": 2, "id": "lint", "title": "Lint", "command": "dotnet format --verify-no-changes\n| tee lint.txt", "status": "failed",
          "exitCode": 2, "durationMs": 1534, "sandbox": "sandboxed", "toolRunId": "tool-001", "attempt": 1,
          "logs": { "stdout": "commands/002-lint.stdout.log", "stderr": "commands/002-lint.stderr.log" } },
        { "index": 3, "id": "eval", "title": "Eval", "command": "sleep 100", "status": "timed_out", "timeoutMs": 5000, "durationMs": 5002,
          "logs": { "stdout": null, "stderr": null } }
      ],
      "guardrailStatus": { "counts": { "succeeded": 0, "failed": 1, "skipped": 1, "timedOut": 1, "cancelled": 0 },
        "recommendation": "needs-review", "summary": "lint failed; eval timed out" },
      "childRuns": [ { "runId": "2026-11-22T05-00-30-000Z-0000beef", "pipelineId": "evals", "status": "succeeded",
        "manifestPath": "/runs/ci/cli/2026-11-22T05-00-30-000Z-0000beef/manifest.json" } ],
      "resumeToken": "rt-0001",
      "resumeEvents": [ { "commandId": "spec-guard", "action": "skipped", "fromRunId": "2026-11-22T04-00-00-000Z-00001234" } ],
      "telemetry": { "exporter": "otlp", "endpoint": "http://127.0.0.1:4318", "spans": 4 },
      "notifications": { "targets": [ { "kind": "webhook", "delivered": true } ] },
      "instructions": { "files": [ "AGENTS.md" ], "bytes": 812 },
      "warnings": [ { "code": "Stale", "message": "heartbeat <old>" } ],
      "eventsPath": "events.jsonl", "eventCount": 42
    }
    """;

    [TestMethod]
    public void FieldsFromPipelinesGuardrailsResumeAndTelemetryAreRendered()
    {
        using var document = JsonDocument.Parse(PipelineManifest);

        var review = ReviewRenderer.Render(document.RootElement, "/runs/ci/cli/2026-11-22T05-00-00-000Z-0000abcd");
        string md = review.Markdown;

        Assert.AreEqual("needs-review", review.Recommendation);
        Assert.AreEqual("guardrails", review.RecommendationSource);
        StringAssert.Contains(md, "**Recommendation:** needs-review (from the guardrails)");
        StringAssert.Contains(md, "## Guardrails");
        StringAssert.Contains(md, "| timedOut | 1 |");
        StringAssert.Contains(md, "lint failed; eval timed out");
        StringAssert.Contains(md, "⏭️ skipped<br>succeeded in run 2026-11-22T04-00-00-000Z-00001234");
        StringAssert.Contains(md, "| 1.53 s |");
        StringAssert.Contains(md, "## Child runs");
        StringAssert.Contains(md, "[../2026-11-22T05-00-30-000Z-0000beef/manifest.json](../2026-11-22T05-00-30-000Z-0000beef/manifest.json)");
        StringAssert.Contains(md, "Resume token: `rt-0001`");
        StringAssert.Contains(md, "commandId: spec-guard, action: skipped");
        StringAssert.Contains(md, "- `telemetry.endpoint`: http://127.0.0.1:4318");
        StringAssert.Contains(md, "- `notifications.targets[0].delivered`: true");
        StringAssert.Contains(md, "- `instructions.files[0]`: AGENTS.md");
        StringAssert.Contains(md, "heartbeat &lt;old&gt;");
        StringAssert.Contains(md, "| Parent run | 2026-11-22T04-00-00-000Z-00001234 |");
        StringAssert.Contains(md, "| Duration | 1 min 5 s |");
        StringAssert.Contains(md, "(42 events)");

        CollectionAssert.AreEqual(new[] { "Lint failed", "Eval timed out" }, review.Failures.Select(f => f.Title).ToArray());
        StringAssert.Contains(review.Failures[1].Message, "timed out after 5000 ms");
    }

    [TestMethod]
    public void CommandTextWithPipesAndNewlinesStaysInsideItsTableRow()
    {
        using var document = JsonDocument.Parse(PipelineManifest);

        string md = ReviewRenderer.Render(document.RootElement, "/runs/x").Markdown;

        var table = md.Split("## Commands\n\n")[1].Split("\n\n")[0].Split('\n');
        Assert.AreEqual(2 + 3, table.Length, "header, separator and one line per command:\n" + string.Join('\n', table));
        Assert.IsTrue(table.All(row => row.StartsWith('|') && row.EndsWith('|')));
        StringAssert.Contains(table[3], "`dotnet format --verify-no-changes`<br>`\\| tee lint.txt`");
        // Every row has the header's 7 cells: escaped pipes do not count as separators.
        foreach (string row in table)
        {
            int separators = row.Replace("\\|", "", StringComparison.Ordinal).Count(c => c == '|');
            Assert.AreEqual(8, separators, row);
        }
    }

    [TestMethod]
    public void MarkdownEscapesMarkupAndBackticksInCode()
    {
        Assert.AreEqual("a\\*b\\_c \\[x\\](y) &lt;script&gt; 1\\|2<br>next", MarkdownText.Text("a*b_c [x](y) <script> 1|2\r\nnext"));
        Assert.AreEqual("``echo `date` \\| x``", MarkdownText.Code("echo `date` | x"));
        Assert.AreEqual("`` `tick ``", MarkdownText.Code("`tick"));
    }

    [TestMethod]
    public void WorkflowCommandsAreEscapedPerTheRunnerRules()
    {
        Assert.AreEqual("::error title=build%3A step 1%2C part 2 100%25::exit 1: 50%25 done,%0Anext%0D",
            WorkflowCommand.Error("build: step 1, part 2 100%", "exit 1: 50% done,\nnext\r"));
    }

    [TestMethod]
    public void AManifestWithoutItsIdsIsRejected()
    {
        using var document = JsonDocument.Parse("""{ "taskId": "t", "status": "failed" }""");

        var ex = Assert.ThrowsExactly<OrchestratorException>(() => ReviewRenderer.Render(document.RootElement, "/x"));

        Assert.AreEqual(OrchestratorErrorCode.CorruptRunRecord, ex.Code);
    }

    [TestMethod]
    public async Task AHandWrittenManifestIsReviewedThroughTheServiceToo()
    {
        using var dir = new TempDirectory();
        string runDirectory = dir.Combine(".runs", "ci", "cli", "2026-11-22T05-00-00-000Z-0000abcd");
        Directory.CreateDirectory(runDirectory);
        await File.WriteAllTextAsync(Path.Combine(runDirectory, "manifest.json"), PipelineManifest);

        var review = await new OrchestratorClient().ReviewAsync(new ReviewRequest
        {
            TaskId = "ci", RunsRoot = dir.Combine(".runs"), StateRoot = dir.Combine("out"), WorkingDirectory = dir.Path,
            Environment = name => name == "GITHUB_ACTIONS" ? "true" : null,
        });

        Assert.AreEqual("needs-review", review.Recommendation);
        Assert.AreEqual(2, review.Annotations.Count);
        StringAssert.StartsWith(review.Annotations[0], "::error title=Lint failed::`dotnet format --verify-no-changes%0A| tee lint.txt` exited with code 2");
        Assert.IsTrue(File.Exists(Path.Combine(runDirectory, "review.md")));
    }
}
