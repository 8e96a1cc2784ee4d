using Orchestrator.Cake.Tests.Support;

namespace Orchestrator.Cake.Tests;

/// <summary>
/// OrchestratorGuardrails, OrchestratorPipeline and OrchestratorDiagnostics driven by real `dotnet cake`
/// runs in a fixture repository (its own git root and orchestrator.yaml).
/// </summary>
[TestClass]
public sealed class OrchestratorPipelineAliasTests
{
    [ClassInitialize]
    public static async Task PrepareAsync(TestContext _) => await CakeScript.WorkspaceAsync();

    [TestMethod]
    public async Task GuardrailsFailTheScriptWhileAGuardrailFailsAndPassOnceItIsFixed()
    {
        string repo = await CakeScript.FixtureRepositoryAsync("guardrails");

        var failing = await CakeScript.RunInAsync(repo, "guardrails.cake");

        Assert.AreNotEqual(0, failing.ExitCode, failing.ToString());
        StringAssert.Contains(failing.Output, "lint: fixed.txt is missing");
        StringAssert.Contains(failing.Output, "ORCH0112: Guardrails recommend fail: lint (failed)");
        StringAssert.Contains(failing.Output, "REVIEW recommendation=fail");

        await File.WriteAllTextAsync(Path.Combine(repo, "fixed.txt"), "fixed\n");
        var passing = await CakeScript.RunInAsync(repo, "guardrails.cake");

        Assert.AreEqual(0, passing.ExitCode, passing.ToString());
        StringAssert.Contains(passing.Output, "tests-pass");
        StringAssert.Contains(passing.Output, "GUARDRAILS recommendation=pass status=succeeded steps=lint:succeeded,test:succeeded");
        StringAssert.Contains(passing.Output, "REVIEW recommendation=pass");
        var manifests = Directory.GetFiles(Path.Combine(repo, ".runs", "guard"), "manifest.json", SearchOption.AllDirectories);
        Assert.AreEqual(2, manifests.Length);
        foreach (string manifest in manifests)
        {
            RunFiles.AssertValidRun(manifest);
            using var doc = RunFiles.ReadManifest(manifest);
            Assert.AreEqual("cake", doc.RootElement.GetProperty("runner").GetString());
            Assert.AreEqual("guardrails", doc.RootElement.GetProperty("pipelineId").GetString());
            Assert.IsTrue(File.Exists(Path.Combine(Path.GetDirectoryName(manifest)!, "review.md")), "each run was reviewed");
        }
    }

    [TestMethod]
    public async Task AFailingPipelineIsACakeExceptionWithItsResumeTokenAndAnUnknownOneIsOrch0010()
    {
        string repo = await CakeScript.FixtureRepositoryAsync("guardrails");

        var failed = await CakeScript.RunInAsync(repo, "guardrails.cake", new() { ["target"] = "Pipeline" });
        var ignored = await CakeScript.RunInAsync(repo, "guardrails.cake", new() { ["target"] = "Pipeline", ["ignore"] = "true" });
        var unknown = await CakeScript.RunInAsync(repo, "guardrails.cake", new() { ["target"] = "Pipeline", ["pipeline"] = "nope" });

        Assert.AreNotEqual(0, failed.ExitCode, failed.ToString());
        StringAssert.Contains(failed.Output, "broken-step");
        StringAssert.Contains(failed.Output, "ORCH0110: The pipeline \"ci\" failed:");
        StringAssert.Contains(failed.Output, "Resume token: ");
        Assert.AreEqual(0, ignored.ExitCode, ignored.ToString());
        StringAssert.Contains(ignored.Output, "PIPELINE status=failed steps=compile:succeeded,broken:failed");
        Assert.AreNotEqual(0, unknown.ExitCode, unknown.ToString());
        StringAssert.Contains(unknown.Output, "ORCH0010: ");
        StringAssert.Contains(unknown.Output, "nope");
        foreach (string manifest in Directory.GetFiles(Path.Combine(repo, ".runs"), "manifest.json", SearchOption.AllDirectories))
        {
            RunFiles.AssertValidRun(manifest);
        }
    }

    [TestMethod]
    public async Task DiagnosticsReturnTheirChecksAndLeaveAValidManifest()
    {
        string repo = await CakeScript.FixtureRepositoryAsync("guardrails");

        var result = await CakeScript.RunInAsync(repo, "guardrails.cake", new() { ["target"] = "Diagnostics" });

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        string line = result.Output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("DIAGNOSTICS ", StringComparison.Ordinal));
        StringAssert.Contains(line, "bubblewrap");
        StringAssert.Contains(line, "guardrails");
        string manifest = line[(line.IndexOf("manifest=", StringComparison.Ordinal) + "manifest=".Length)..];
        StringAssert.StartsWith(manifest, Path.Combine(repo, ".runs", "diag") + "/");
        RunFiles.AssertValidRun(manifest);
    }
}
