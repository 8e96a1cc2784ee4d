using System.Diagnostics;
using Orchestrator.Core.Pipelines;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Pipelines;

/// <summary>The built-in spec guard against real git repositories in temp directories.</summary>
[TestClass]
public sealed class SpecGuardTests
{
    private const string Config = """
        specGuard:
          codePaths: [src/]
          specPaths: [docs/]
        guardrails:
          steps:
            - { id: spec-guard, builtin: spec-guard }
        """;

    private static void Git(string dir, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["GIT_AUTHOR_NAME"] = info.Environment["GIT_COMMITTER_NAME"] = "test";
        info.Environment["GIT_AUTHOR_EMAIL"] = info.Environment["GIT_COMMITTER_EMAIL"] = "test@example.invalid";
        using var process = Process.Start(info)!;
        string err = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, $"git {string.Join(' ', args)}: {err}");
    }

    /// <summary>A repo with main holding src/ and docs/, and a feature branch checked out.</summary>
    private static PipelineWorkspace Repo()
    {
        var ws = new PipelineWorkspace(Config);
        File.WriteAllText(ws.Combine(".gitignore"), ".runs/\nout/\n");
        Directory.CreateDirectory(ws.Combine("src"));
        Directory.CreateDirectory(ws.Combine("docs"));
        File.WriteAllText(ws.Combine("src", "app.c"), "int main(){}\n");
        File.WriteAllText(ws.Combine("docs", "spec.md"), "# spec\n");
        Git(ws.Path, "init", "-q", "-b", "main");
        Git(ws.Path, "add", "-A");
        Git(ws.Path, "commit", "-q", "-m", "base");
        Git(ws.Path, "checkout", "-q", "-b", "feature");
        return ws;
    }

    [TestMethod]
    public async Task CodeChangedWithoutASpecChangeFailsTheGuardrail()
    {
        using var ws = Repo();
        File.AppendAllText(ws.Combine("src", "app.c"), "// change\n");
        Git(ws.Path, "commit", "-qam", "code only");

        var result = await new OrchestratorClient().RunGuardrailsAsync(ws.Options());

        Assert.AreEqual(RunStatus.Failed, result.Status);
        Assert.AreEqual(GuardrailRecommendation.Fail, result.GuardrailStatus!.Recommendation);
        StringAssert.Contains(result.StatusDetail, "src/app.c");
        StringAssert.Contains(result.StatusDetail, "merge-base with main");
        RunFiles.AssertValidRun(result.ManifestPath);
        string log = await File.ReadAllTextAsync(Path.Combine(result.RunDirectory, "commands", "001-spec-guard.stdout.log"));
        StringAssert.Contains(log, "code: src/app.c");
    }

    [TestMethod]
    public async Task ASpecChangeAlongsideTheCodePasses()
    {
        using var ws = Repo();
        File.AppendAllText(ws.Combine("src", "app.c"), "// change\n");
        File.AppendAllText(ws.Combine("docs", "spec.md"), "more\n");

        var result = await new OrchestratorClient().RunGuardrailsAsync(ws.Options());

        Assert.AreEqual(RunStatus.Succeeded, result.Status, result.StatusDetail);
        Assert.AreEqual(GuardrailRecommendation.Pass, result.GuardrailStatus!.Recommendation);
    }

    [TestMethod]
    public async Task DryRunReportsTheProblemWithoutFailing()
    {
        using var ws = Repo();
        File.WriteAllText(ws.Combine("src", "new.c"), "int x;\n"); // untracked counts too

        var result = await new OrchestratorClient().RunGuardrailsAsync(ws.Options(), dryRun: true);

        Assert.AreEqual(RunStatus.Succeeded, result.Status);
        Assert.AreEqual(GuardrailRecommendation.NeedsReview, result.GuardrailStatus!.Recommendation);
        StringAssert.Contains(result.GuardrailStatus.Summary, "spec-guard would fail (dry run)");
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        StringAssert.StartsWith(manifest.RootElement.GetProperty("commands")[0].GetProperty("statusDetail").GetString(), "dry run, would fail: ");
    }

    [TestMethod]
    public async Task BaseShaWinsOverTheMergeBase()
    {
        using var ws = Repo();
        File.AppendAllText(ws.Combine("src", "app.c"), "// one\n");
        File.AppendAllText(ws.Combine("docs", "spec.md"), "one\n");
        Git(ws.Path, "commit", "-qam", "code and spec");
        string head = (await File.ReadAllTextAsync(ws.Combine(".git", "refs", "heads", "feature"))).Trim();
        File.AppendAllText(ws.Combine("src", "app.c"), "// two\n");

        var settings = new SpecGuardSettings { CodePaths = ["src/"], SpecPaths = ["docs/"] };
        var sinceMain = await SpecGuardCheck.EvaluateAsync(ws.Path, settings, _ => null, CancellationToken.None);
        var sinceHead = await SpecGuardCheck.EvaluateAsync(ws.Path, settings, name => name == "BASE_SHA" ? head : null, CancellationToken.None);

        Assert.IsTrue(sinceMain.Passed, sinceMain.Message);
        Assert.IsFalse(sinceHead.Passed);
        Assert.AreEqual("BASE_SHA", sinceHead.Base);
        Assert.AreEqual(head, sinceHead.BaseSha);
        CollectionAssert.AreEqual(new[] { "src/app.c" }, sinceHead.CodeChanges.ToArray());
    }

    [TestMethod]
    public async Task OutsideAGitRepositoryTheGuardFailsSayingWhy()
    {
        using var dir = new TempDirectory();
        var report = await SpecGuardCheck.EvaluateAsync(dir.Path, SpecGuardSettings.Default, _ => null, CancellationToken.None);
        Assert.IsFalse(report.Passed);
        StringAssert.Contains(report.Message, "not a git repository");
    }
}
