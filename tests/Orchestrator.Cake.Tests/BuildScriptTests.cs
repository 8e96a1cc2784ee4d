using Orchestrator.Cake.Tests.Support;

namespace Orchestrator.Cake.Tests;

/// <summary>The repository's own build/build.cake, run the way the README says, on a fresh copy of the repository.</summary>
[TestClass]
public sealed class BuildScriptTests
{
    [TestMethod]
    [Timeout(15 * 60 * 1000, CooperativeCancellation = true)]
    public async Task OnAFreshCloneTheGuardrailsTargetBuildsTheAddinPassesAndFailsWhenAGuardrailBreaks()
    {
        using var clone = new TempDirectory("orch-fresh-clone");
        await FreshClone.CopyAsync(CakeScript.RepositoryRoot, clone.Path);
        Assert.IsFalse(File.Exists(Path.Combine(clone.Path, "src", "Cake", "bin", "Release", "net10.0", "Cake.Orchestrator.dll")), "nothing is built yet");

        var restore = await Dotnet.RunAsync(clone.Path, ["tool", "restore"]);
        Assert.AreEqual(0, restore.ExitCode, restore.ToString());
        var guardrails = await Dotnet.RunAsync(clone.Path, ["cake", "build/build.cake", "--target=Guardrails", "--task-id=fresh"],
            CakeScript.WithoutCi(null), TimeSpan.FromMinutes(12));

        string output = CakeScript.StripAnsi(guardrails.Output);
        Assert.AreEqual(0, guardrails.ExitCode, output);
        Assert.IsTrue(File.Exists(Path.Combine(clone.Path, "src", "Cake", "bin", "Release", "net10.0", "Cake.Orchestrator.dll")), "the bootstrap built the addin");
        StringAssert.Contains(output, "Guardrails pass:");
        StringAssert.Contains(output, "Review (pass):");
        string manifest = Directory.GetFiles(Path.Combine(clone.Path, ".runs", "fresh"), "manifest.json", SearchOption.AllDirectories).Single();
        RunFiles.AssertValidRun(manifest);
        using var doc = RunFiles.ReadManifest(manifest);
        Assert.AreEqual("guardrails", doc.RootElement.GetProperty("pipelineId").GetString());
        Assert.AreEqual("pass", doc.RootElement.GetProperty("guardrailStatus").GetProperty("recommendation").GetString());
        Assert.IsTrue(File.Exists(Path.Combine(Path.GetDirectoryName(manifest)!, "review.md")));

        // Break a guardrail (an alias the docs no longer describe): the same command now fails.
        string docs = Path.Combine(clone.Path, "docs", "cake.md");
        await File.WriteAllTextAsync(docs, (await File.ReadAllTextAsync(docs)).Replace("### `OrchestratorDiagnostics`", "### Diagnostics", StringComparison.Ordinal));
        var broken = await Dotnet.RunAsync(clone.Path, ["cake", "build/build.cake", "--target=Guardrails", "--task-id=fresh"],
            CakeScript.WithoutCi(null), TimeSpan.FromMinutes(12));

        string brokenOutput = CakeScript.StripAnsi(broken.Output);
        Assert.AreNotEqual(0, broken.ExitCode, brokenOutput);
        StringAssert.Contains(brokenOutput, "docs/cake.md does not document OrchestratorDiagnostics");
        StringAssert.Contains(brokenOutput, "ORCH0112: Guardrails recommend fail");
        StringAssert.Contains(brokenOutput, "Review (fail):");
    }
}
