using System.Diagnostics;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Pipelines;

[TestClass]
public sealed class ResumeTests
{
    // The second step fails until the file 'fixed' exists; the definition stays the same.
    private const string Config = """
        pipelines:
          ci:
            stages:
              - id: build
                steps:
                  - { id: compile, command: "echo compiled >> compile.count" }
              - id: test
                steps:
                  - { id: unit, command: "test -f fixed" }
                  - { id: report, command: "echo reported >> report.count" }
        """;

    [TestMethod]
    public async Task ResumingAFailedRunSkipsWhatSucceededAndRerunsTheRest()
    {
        using var ws = new PipelineWorkspace(Config);
        var client = new OrchestratorClient();
        var failed = await client.RunPipelineAsync("ci", ws.Options());
        Assert.AreEqual(RunStatus.Failed, failed.Status);

        File.WriteAllText(ws.Combine("fixed"), "");
        var resumed = await client.ResumeAsync(failed.RunId, ws.Options());

        Assert.AreEqual(RunStatus.Succeeded, resumed.Status, resumed.StatusDetail);
        Assert.AreEqual(failed.RunId, resumed.ParentRunId);
        Assert.AreEqual(1, File.ReadAllLines(ws.Combine("compile.count")).Length, "compile succeeded before and was not run again");
        Assert.AreEqual(1, File.ReadAllLines(ws.Combine("report.count")).Length);
        RunFiles.AssertValidRun(resumed.ManifestPath);

        using var manifest = RunFiles.ReadManifest(resumed.ManifestPath);
        var root = manifest.RootElement;
        Assert.AreEqual(failed.RunId, root.GetProperty("parentRunId").GetString());
        StringAssert.StartsWith(root.GetProperty("resumeToken").GetString(), resumed.RunId + ".");
        var compile = root.GetProperty("commands")[0];
        Assert.AreEqual("skipped", compile.GetProperty("status").GetString());
        Assert.AreEqual(failed.RunId, compile.GetProperty("succeededInRunId").GetString());
        Assert.AreEqual("succeeded", root.GetProperty("commands")[1].GetProperty("status").GetString());
        var events = root.GetProperty("resumeEvents").EnumerateArray().Select(e => (e.GetProperty("kind").GetString(), e.GetProperty("stepId").GetString())).ToArray();
        CollectionAssert.AreEqual(new (string?, string?)[] { ("resumed", null), ("skipped", "compile"), ("rerun", "unit"), ("rerun", "report") }, events);
    }

    [TestMethod]
    public async Task AResumeOfAResumeNamesTheRunWhereTheStepFirstSucceeded()
    {
        using var ws = new PipelineWorkspace(Config.Replace("echo reported >> report.count", "test -f fixed2", StringComparison.Ordinal));
        var client = new OrchestratorClient();
        var first = await client.RunPipelineAsync("ci", ws.Options());
        File.WriteAllText(ws.Combine("fixed"), "");
        var second = await client.ResumeAsync(first.RunId, ws.Options());
        Assert.AreEqual(RunStatus.Failed, second.Status);
        File.WriteAllText(ws.Combine("fixed2"), "");
        var third = await client.ResumeAsync(second.ResumeToken, ws.Options());

        Assert.AreEqual(RunStatus.Succeeded, third.Status);
        Assert.AreEqual(first.RunId, third.Steps[0].SucceededInRunId);
        Assert.AreEqual(second.RunId, third.Steps[1].SucceededInRunId);
        Assert.AreEqual(CommandStatus.Succeeded, third.Steps[2].Status);
    }

    [TestMethod]
    public async Task LatestResumesTheTasksLatestPipelineRunNotAChildOrAnExec()
    {
        using var ws = new PipelineWorkspace(Config.Replace("      - id: test\n", "      - id: test\n        steps:\n          - { id: sub, pipeline: other }\n      - id: test2\n", StringComparison.Ordinal) + "\n" + """
              other:
                steps: [ { id: o, command: "true" } ]
            """);
        var client = new OrchestratorClient();
        var failed = await client.RunPipelineAsync("ci", ws.Options());
        await client.ExecAsync(new Core.Commands.ExecRequest { Command = Core.Exec.CommandSpec.FromShell("true") }, ws.Options());
        Assert.AreEqual(1, failed.ChildRuns.Count, "the child run started after its parent");
        File.WriteAllText(ws.Combine("fixed"), "");

        var resumed = await client.ResumeAsync("latest", ws.Options());

        Assert.AreEqual(failed.RunId, resumed.ParentRunId);
        Assert.AreEqual(RunStatus.Succeeded, resumed.Status, resumed.StatusDetail);
        var again = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => client.ResumeAsync("latest", ws.Options()));
        StringAssert.Contains(again.Message, $"Cannot resume run '{resumed.RunId}': it succeeded");
    }

    [TestMethod]
    public async Task AChangedDefinitionRefusesTheResume()
    {
        using var ws = new PipelineWorkspace(Config);
        var client = new OrchestratorClient();
        var failed = await client.RunPipelineAsync("ci", ws.Options());
        ws.WriteConfig(Config.Replace("test -f fixed", "test -f fixed-now", StringComparison.Ordinal));

        var ex = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => client.ResumeAsync(failed.RunId, ws.Options()));
        Assert.AreEqual(OrchestratorErrorCode.ResumeRefused, ex.Code);
        StringAssert.Contains(ex.Message, "the definition of pipeline 'ci' changed since that run");
    }

    [TestMethod]
    public async Task AMissingRunIdIsRefusedAsNotFound()
    {
        using var ws = new PipelineWorkspace(Config);
        var ex = await Assert.ThrowsExactlyAsync<OrchestratorException>(
            () => new OrchestratorClient().ResumeAsync("2026-01-01T00-00-00-000Z-deadbeef", ws.Options()));
        Assert.AreEqual(OrchestratorErrorCode.RunNotFound, ex.Code);
        StringAssert.Contains(ex.Message, "There is no run '2026-01-01T00-00-00-000Z-deadbeef'");

        var bad = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => new OrchestratorClient().ResumeAsync("../etc", ws.Options()));
        Assert.AreEqual(OrchestratorErrorCode.InvalidRunId, bad.Code);
    }

    [TestMethod]
    public async Task ACorruptedManifestIsRefusedClearly()
    {
        using var ws = new PipelineWorkspace(Config);
        var client = new OrchestratorClient();
        var failed = await client.RunPipelineAsync("ci", ws.Options());
        File.WriteAllText(failed.ManifestPath, "{\"taskId\": \"pipe-tests\", \"runId\": ");

        var ex = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => client.ResumeAsync(failed.RunId, ws.Options()));
        Assert.AreEqual(OrchestratorErrorCode.CorruptRunRecord, ex.Code);
        StringAssert.Contains(ex.Message, "is corrupted");
    }

    [TestMethod]
    public async Task ASucceededOrNonPipelineRunIsNotResumed()
    {
        using var ws = new PipelineWorkspace(Config);
        File.WriteAllText(ws.Combine("fixed"), "");
        var client = new OrchestratorClient();
        var ok = await client.RunPipelineAsync("ci", ws.Options());
        var exec = await client.ExecAsync(new Core.Commands.ExecRequest { Command = Core.Exec.CommandSpec.FromShell("exit 1") }, ws.Options());

        var succeeded = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => client.ResumeAsync(ok.RunId, ws.Options()));
        StringAssert.Contains(succeeded.Message, "it succeeded; there is nothing to resume");
        var notPipeline = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => client.ResumeAsync(exec.RunId, ws.Options()));
        StringAssert.Contains(notPipeline.Message, "it is not a pipeline run");
    }

    [TestMethod]
    public async Task APipelineRunKilledWithSigkillStaysValidIsStaleAndResumes()
    {
        using var ws = new PipelineWorkspace("""
            pipelines:
              ci:
                steps:
                  - { id: first, command: "echo first >> first.count" }
                  - { id: slow, command: "test -f go-fast || { touch started; sleep 120; }" }
                  - { id: last, command: "true" }
            """);
        using var process = Process.Start(Support.TestTool.StartInfo(["run-pipeline", ws.Path, "pipe-tests", "ci"]))!;
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(ws.Combine("started")))
        {
            if (process.HasExited)
            {
                Assert.Fail("the pipeline process ended early: " + await process.StandardError.ReadToEndAsync());
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                process.Kill();
                Assert.Fail("the slow step never started");
            }

            await Task.Delay(50);
        }

        process.Kill(entireProcessTree: false); // SIGKILL to the runner only
        await process.WaitForExitAsync();
        string manifestPath = Directory.GetFiles(ws.RunsRoot, "manifest.json", SearchOption.AllDirectories).Single();

        RunFiles.AssertValidRun(manifestPath);
        EndOrphan(manifestPath, "slow");
        var liveness = RunLiveness.Inspect(manifestPath);
        Assert.AreEqual(RunStatus.InProgress, liveness.Status);
        Assert.IsTrue(liveness.IsStale, liveness.Reason);
        StringAssert.Contains(liveness.Reason, "is gone");
        string runId = Path.GetFileName(Path.GetDirectoryName(manifestPath))!;
        Assert.AreEqual(RunStatus.InProgress, ws.State().Latest(runId)!.Status, "runs.jsonl says in_progress: the manifest's heartbeat tells it is stale");

        File.WriteAllText(ws.Combine("go-fast"), "");
        var resumed = await new OrchestratorClient().ResumeAsync(runId, ws.Options());

        Assert.AreEqual(RunStatus.Succeeded, resumed.Status, resumed.StatusDetail);
        Assert.AreEqual(runId, resumed.ParentRunId);
        Assert.AreEqual(runId, resumed.Steps[0].SucceededInRunId);
        Assert.AreEqual(CommandStatus.Succeeded, resumed.Steps[1].Status);
        Assert.AreEqual(1, File.ReadAllLines(ws.Combine("first.count")).Length);
        RunFiles.AssertValidRun(resumed.ManifestPath);
    }

    /// <summary>The killed runner's command outlives it (its own process group): end it by the pid the manifest recorded.</summary>
    private static void EndOrphan(string manifestPath, string commandId)
    {
        using var manifest = RunFiles.ReadManifest(manifestPath);
        foreach (var command in manifest.RootElement.GetProperty("commands").EnumerateArray())
        {
            if (command.GetProperty("id").GetString() == commandId && command.GetProperty("pid").ValueKind == System.Text.Json.JsonValueKind.Number)
            {
                try
                {
                    using var orphan = Process.GetProcessById(command.GetProperty("pid").GetInt32());
                    orphan.Kill(entireProcessTree: true);
                }
                catch (ArgumentException)
                {
                    // already gone
                }
            }
        }
    }

    [TestMethod]
    public async Task ALiveRunIsNotStale()
    {
        using var ws = new PipelineWorkspace("pipelines:\n  ci:\n    steps: [ { id: wait, command: \"touch started; while test ! -f stop; do sleep 0.05; done\" } ]\n");
        var client = new OrchestratorClient();
        var running = client.RunPipelineAsync("ci", ws.Options());
        while (!File.Exists(ws.Combine("started")))
        {
            await Task.Delay(20);
        }

        string manifestPath = Directory.GetFiles(ws.RunsRoot, "manifest.json", SearchOption.AllDirectories).Single();
        var liveness = RunLiveness.Inspect(manifestPath);
        string runId = Path.GetFileName(Path.GetDirectoryName(manifestPath))!;
        var refused = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => client.ResumeAsync(runId, ws.Options()));
        File.WriteAllText(ws.Combine("stop"), "");
        await running;

        Assert.IsFalse(liveness.IsStale, liveness.Reason);
        StringAssert.Contains(refused.Message, "it is still running");
        Assert.IsFalse(RunLiveness.Inspect(manifestPath).IsStale);
    }
}
