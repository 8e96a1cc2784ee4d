using System.Text.Json;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Diagnostics;

[TestClass]
public sealed class DiagnosticsTests
{
    private static readonly string[] CheckIds =
        ["runtime", "sdk", "git", "bubblewrap", "sandbox-smoke", "pty", "config", "instructions", "runs-root", "guardrails"];

    [TestMethod]
    public async Task WithNoConfigurationEveryCheckRunsAndTheRecordIsComplete()
    {
        Sandboxes.RequireBubblewrap();
        using var dir = new TempDirectory();
        var options = new RunOptions { WorkingDirectory = dir.Path, RunsRoot = dir.Combine(".runs"), TaskId = "diag" };

        var result = await new OrchestratorClient().RunDiagnosticsAsync(options);

        Assert.AreEqual(RunStatus.Succeeded, result.Status, result.Summary);
        CollectionAssert.AreEqual(CheckIds, result.Checks.Select(c => c.Id).ToArray());
        var byId = result.Checks.ToDictionary(c => c.Id);
        Assert.AreEqual(DiagnosticCheckStatus.Pass, byId["sandbox-smoke"].Status, byId["sandbox-smoke"].Detail);
        Assert.AreEqual("sandboxed", byId["sandbox-smoke"].Facts["sandbox"]);
        Assert.AreEqual(DiagnosticCheckStatus.Pass, byId["config"].Status);
        StringAssert.Contains(byId["config"].Detail, "no configuration file");
        Assert.AreEqual(DiagnosticCheckStatus.Warn, byId["git"].Status, "a temp directory is not a repository");
        Assert.AreEqual(DiagnosticCheckStatus.Warn, byId["guardrails"].Status);
        Assert.AreEqual(DiagnosticCheckStatus.Pass, byId["runs-root"].Status);

        RunFiles.AssertValidRun(result.ManifestPath);
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        Assert.AreEqual("diagnostics", manifest.RootElement.GetProperty("pipelineId").GetString());
        var section = manifest.RootElement.GetProperty("diagnostics");
        Assert.AreEqual(CheckIds.Length, section.GetProperty("checks").GetArrayLength());
        Assert.AreEqual("diagnostics.txt", section.GetProperty("summaryPath").GetString());
        var sandboxCommand = manifest.RootElement.GetProperty("commands").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "sandbox-smoke");
        Assert.AreEqual("sandboxed", sandboxCommand.GetProperty("sandbox").GetString(), "the smoke run really ran in bubblewrap");

        string summary = await File.ReadAllTextAsync(result.SummaryPath);
        StringAssert.StartsWith(summary, "Orchestrator diagnostics: succeeded");
        StringAssert.Contains(summary, "Sandbox smoke run");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(result.ReportPath));
        Assert.AreEqual(result.RunId, json.RootElement.GetProperty("runId").GetString());
        Assert.AreEqual("pass", json.RootElement.GetProperty("checks")[0].GetProperty("status").GetString());
        using var fromResult = JsonDocument.Parse(result.ToJson());
        Assert.AreEqual(CheckIds.Length, fromResult.RootElement.GetProperty("checks").GetArrayLength());
    }

    [TestMethod]
    public async Task AnInvalidConfigurationFailsTheConfigCheckAndTheRun()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("orchestrator.yaml"), "pipelines:\n  a:\n    steps: [ { id: x, pipeline: a } ]\n");
        var options = new RunOptions { WorkingDirectory = dir.Path, RunsRoot = dir.Combine(".runs"), TaskId = "diag" };

        var result = await new OrchestratorClient().RunDiagnosticsAsync(options);

        Assert.AreEqual(RunStatus.Failed, result.Status);
        var config = result.Checks.Single(c => c.Id == "config");
        Assert.AreEqual(DiagnosticCheckStatus.Fail, config.Status);
        StringAssert.Contains(config.Detail, "a cycle of sub-pipelines: a -> a");
        RunFiles.AssertValidRun(result.ManifestPath);
        StringAssert.Contains(await File.ReadAllTextAsync(result.SummaryPath), "[FAIL] Configuration");
    }

    [TestMethod]
    public async Task ConfiguredGuardrailsAreListedWithoutRunning()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("orchestrator.yaml"), "guardrails:\n  steps:\n    - { id: lint, command: \"touch lint-ran\" }\n    - { id: specs, builtin: spec-guard, continueOnError: true }\n");
        var options = new RunOptions { WorkingDirectory = dir.Path, RunsRoot = dir.Combine(".runs"), TaskId = "diag" };

        var result = await new OrchestratorClient().RunDiagnosticsAsync(options);

        var guardrails = result.Checks.Single(c => c.Id == "guardrails");
        Assert.AreEqual(DiagnosticCheckStatus.Pass, guardrails.Status);
        StringAssert.Contains(guardrails.Detail, "2 guardrail step(s): lint, specs");
        StringAssert.Contains(guardrails.Detail, "specs would fail");
        Assert.AreEqual("touch lint-ran", guardrails.Facts["main/lint"]);
        Assert.IsFalse(File.Exists(dir.Combine("lint-ran")), "a dry run lists, it does not run");
    }
}
