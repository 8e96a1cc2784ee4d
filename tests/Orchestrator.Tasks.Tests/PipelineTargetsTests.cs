using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestrator.Tasks.Tests.Support;

namespace Orchestrator.Tasks.Tests;

/// <summary>The pipeline targets driven by real `dotnet build` of a fixture git repository that references the package.</summary>
[TestClass]
public sealed partial class PipelineTargetsTests
{
    [ClassInitialize]
    public static async Task PrepareConsumerAsync(TestContext _) => await ConsumerProject.PrepareAsync();

    private static JsonDocument Manifest(ProcessResult result)
    {
        var match = ManifestLine().Match(result.Stdout);
        Assert.IsTrue(match.Success, "no manifest path in the build output: " + result);
        string path = match.Groups[1].Value.Trim();
        RunFiles.AssertValidRun(path);
        return RunFiles.ReadManifest(path);
    }

    [TestMethod]
    public async Task GuardrailsFailTheBuildWhenAGuardrailFailsAndPassOnceFixed()
    {
        using var repo = await GuardrailRepository.CreateAsync();

        // 1. Code changed without a spec change, and a lint error: the spec guard fails first.
        File.AppendAllText(repo.Combine("src", "app.c"), "// tweak\n");
        File.WriteAllText(repo.Combine("src", "lint-error"), "");
        var failing = await repo.BuildAsync("OrchestratorGuardrails");

        Assert.AreNotEqual(0, failing.ExitCode, failing.ToString());
        StringAssert.Contains(failing.Stdout, "error ORCH0112: Guardrails recommend fail: spec-guard (failed)");
        StringAssert.Contains(failing.Stdout, "[skipped] checks/lint");
        using (var manifest = Manifest(failing))
        {
            var root = manifest.RootElement;
            Assert.AreEqual("msbuild", root.GetProperty("runner").GetString());
            Assert.AreEqual("guardrails", root.GetProperty("pipelineId").GetString());
            Assert.AreEqual("fail", root.GetProperty("guardrailStatus").GetProperty("recommendation").GetString());
        }

        // 2. The spec is updated, the lint error remains: lint fails.
        File.AppendAllText(repo.Combine("docs", "spec.md"), "Documented the tweak.\n");
        var lint = await repo.BuildAsync("OrchestratorGuardrails");
        Assert.AreNotEqual(0, lint.ExitCode, lint.ToString());
        StringAssert.Contains(lint.Stdout, "error ORCH0112: Guardrails recommend fail: lint (failed)");

        // 3. Fixed: every guardrail passes and the build succeeds.
        File.Delete(repo.Combine("src", "lint-error"));
        var passing = await repo.BuildAsync("OrchestratorGuardrails");
        Assert.AreEqual(0, passing.ExitCode, passing.ToString());
        StringAssert.Contains(passing.Stdout, "Guardrails: pass: 3 guardrail(s): 3 succeeded");
        using (var manifest = Manifest(passing))
        {
            var status = manifest.RootElement.GetProperty("guardrailStatus");
            Assert.AreEqual("pass", status.GetProperty("recommendation").GetString());
            Assert.AreEqual(3, status.GetProperty("counts").GetProperty("succeeded").GetInt32());
        }

        Assert.AreEqual(3, repo.Manifests().Length);
        foreach (string manifest in repo.Manifests())
        {
            RunFiles.AssertValidRun(manifest);
        }

        // Each build's run appended its start and its end to the task state beside the runs root.
        var states = File.ReadAllLines(repo.Combine("out", "default", "runs.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("status").GetString()).ToArray();
        CollectionAssert.AreEqual(new[] { "in_progress", "failed", "in_progress", "failed", "in_progress", "succeeded" }, states);
    }

    [TestMethod]
    public async Task DryRunAndNeedsReviewAreWarningsUnlessAskedToFail()
    {
        using var repo = await GuardrailRepository.CreateAsync();
        File.AppendAllText(repo.Combine("src", "app.c"), "// tweak\n");

        var dryRun = await repo.BuildAsync("OrchestratorGuardrails", "OrchestratorGuardrailsDryRun=true");
        Assert.AreEqual(0, dryRun.ExitCode, dryRun.ToString());
        StringAssert.Contains(dryRun.Stdout, "warning ORCH1007: Guardrails recommend needs-review: spec-guard would fail (dry run)");

        var strict = await repo.BuildAsync("OrchestratorGuardrails", "OrchestratorGuardrailsDryRun=true", "OrchestratorGuardrailsFailOnNeedsReview=true");
        Assert.AreNotEqual(0, strict.ExitCode);
        StringAssert.Contains(strict.Stdout, "error ORCH0113");
    }

    [TestMethod]
    public async Task APipelineByNameRunsAndAFailedOneResumes()
    {
        using var repo = await GuardrailRepository.CreateAsync();
        File.WriteAllText(repo.Combine("src", "unit-error"), "");

        var failed = await repo.BuildAsync("OrchestratorPipeline", "OrchestratorPipelineName=ci");
        Assert.AreNotEqual(0, failed.ExitCode);
        StringAssert.Contains(failed.Stdout, "error ORCH0110: The pipeline \"ci\" failed: step unit exited with code 1");
        string runId;
        using (var manifest = Manifest(failed))
        {
            runId = manifest.RootElement.GetProperty("runId").GetString()!;
            Assert.AreEqual("skipped", manifest.RootElement.GetProperty("commands")[1].GetProperty("status").GetString());
        }

        File.Delete(repo.Combine("src", "unit-error"));
        var resumed = await repo.BuildAsync("OrchestratorResume", "OrchestratorResumeRunId=" + runId);
        Assert.AreEqual(0, resumed.ExitCode, resumed.ToString());
        using (var manifest = Manifest(resumed))
        {
            Assert.AreEqual(runId, manifest.RootElement.GetProperty("parentRunId").GetString());
            Assert.AreEqual("resumed", manifest.RootElement.GetProperty("resumeEvents")[0].GetProperty("kind").GetString());
        }
    }

    [TestMethod]
    public async Task BadInputsAreOrchErrors()
    {
        using var repo = await GuardrailRepository.CreateAsync();

        var unknown = await repo.BuildAsync("OrchestratorPipeline", "OrchestratorPipelineName=deploy");
        StringAssert.Contains(unknown.Stdout, "error ORCH0010: Unknown pipeline 'deploy' (configured: ci)");
        var noName = await repo.BuildAsync("OrchestratorPipeline");
        StringAssert.Contains(noName.Stdout, "error ORCH0014");
        var noRun = await repo.BuildAsync("OrchestratorResume");
        StringAssert.Contains(noRun.Stdout, "error ORCH0015");
        var missing = await repo.BuildAsync("OrchestratorResume", "OrchestratorResumeRunId=2026-01-01T00-00-00-000Z-deadbeef");
        StringAssert.Contains(missing.Stdout, "error ORCH0012: There is no run '2026-01-01T00-00-00-000Z-deadbeef'");
        Assert.AreEqual(0, repo.Manifests().Length, "nothing runs for bad input");

        var off = await repo.BuildAsync("OrchestratorGuardrails", "OrchestratorEnabled=false");
        Assert.AreEqual(0, off.ExitCode, off.ToString());
        Assert.AreEqual(0, repo.Manifests().Length, "OrchestratorEnabled=false turns the targets off");
    }

    [TestMethod]
    public async Task DiagnosticsRunFromTheBuildAndReportEachCheck()
    {
        using var repo = await GuardrailRepository.CreateAsync();

        var result = await repo.BuildAsync("OrchestratorDiagnostics");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Stdout, "Orchestrator diagnostics: succeeded");
        StringAssert.Contains(result.Stdout, "Sandbox smoke run");
        StringAssert.Contains(result.Stdout, "3 guardrail step(s): spec-guard, lint, unit");
        using var manifest = Manifest(result);
        Assert.AreEqual("diagnostics", manifest.RootElement.GetProperty("pipelineId").GetString());
        Assert.AreEqual(10, manifest.RootElement.GetProperty("diagnostics").GetProperty("checks").GetArrayLength());
    }

    [GeneratedRegex(@"(?:\): |Manifest: )(/\S+/manifest\.json)", RegexOptions.CultureInvariant)]
    private static partial Regex ManifestLine();
}
