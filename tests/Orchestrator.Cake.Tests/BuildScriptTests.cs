using Orchestrator.Cake.Tests.Support;

namespace Orchestrator.Cake.Tests;

/// <summary>The repository's own build/build.cake, run the way the README says, on a fresh copy of the repository.</summary>
[TestClass]
public sealed class BuildScriptTests
{
    [TestMethod]
    [Timeout(15 * 60 * 1000, CooperativeCancellation = true)]
    public async Task OnAFreshCloneTheBootstrapBuildsTheAddinAndRunsTheTarget()
    {
        using var clone = new TempDirectory("orch-fresh-clone");
        await FreshClone.CopyAsync(CakeScript.RepositoryRoot, clone.Path);
        Assert.IsFalse(File.Exists(Path.Combine(clone.Path, "src", "Cake", "bin", "Release", "net10.0", "Cake.Orchestrator.dll")), "nothing is built yet");

        var restore = await Dotnet.RunAsync(clone.Path, ["tool", "restore"]);
        Assert.AreEqual(0, restore.ExitCode, restore.ToString());
        // A run to review: the Review target reviews the task's latest run.
        var exec = await Dotnet.RunAsync(clone.Path, ["cake", "build/build.cake", "--target=Review", "--task-id=fresh"],
            CakeScript.WithoutCi(null), TimeSpan.FromMinutes(12));

        string output = CakeScript.StripAnsi(exec.Output);
        Assert.IsTrue(File.Exists(Path.Combine(clone.Path, "src", "Cake", "bin", "Release", "net10.0", "Cake.Orchestrator.dll")), "the bootstrap built the addin:\n" + output);
        // Nothing has run under the task yet, so the second stage got as far as the alias and reported that clearly.
        Assert.AreNotEqual(0, exec.ExitCode, output);
        StringAssert.Contains(output, "ORCH0500: Task 'fresh' has no runs");
        StringAssert.Contains(output, "build/orchestrator.cake --target=Review failed with exit code 1.");
    }
}
