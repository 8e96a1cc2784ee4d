using System.Text.Json;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Pipelines;

[TestClass]
public sealed class PipelineRunTests
{
    private static JsonElement[] Commands(JsonDocument manifest) => [.. manifest.RootElement.GetProperty("commands").EnumerateArray()];

    [TestMethod]
    public async Task APipelineRunListsEveryCommandWithStatusExitCodeAndDuration()
    {
        using var ws = new PipelineWorkspace("""
            pipelines:
              ci:
                stages:
                  - id: build
                    steps:
                      - { id: compile, command: "echo compiling" }
                  - id: test
                    steps:
                      - { id: unit, argv: [sh, -c, "exit 0"] }
                      - { id: env, command: "test \"$MODE\" = fast", env: { MODE: fast } }
            """);
        var result = await new OrchestratorClient().RunPipelineAsync("ci", ws.Options());

        Assert.AreEqual(RunStatus.Succeeded, result.Status, result.StatusDetail);
        Assert.AreEqual("ci", result.PipelineId);
        RunFiles.AssertValidRun(result.ManifestPath);
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        Assert.AreEqual("ci", manifest.RootElement.GetProperty("pipelineId").GetString());
        Assert.AreEqual(result.ResumeToken, manifest.RootElement.GetProperty("resumeToken").GetString());
        StringAssert.StartsWith(result.ResumeToken, result.RunId + ".");
        var commands = Commands(manifest);
        CollectionAssert.AreEqual(new[] { "compile", "unit", "env" }, commands.Select(c => c.GetProperty("id").GetString()).ToArray());
        CollectionAssert.AreEqual(new[] { "build", "test", "test" }, commands.Select(c => c.GetProperty("stage").GetString()).ToArray());
        foreach (var command in commands)
        {
            Assert.AreEqual("succeeded", command.GetProperty("status").GetString());
            Assert.AreEqual(0, command.GetProperty("exitCode").GetInt32());
            Assert.IsTrue(command.GetProperty("durationMs").GetInt64() >= 0);
        }
    }

    [TestMethod]
    public async Task CommandsAfterAFailureAreRecordedAsSkippedAndTheRunFails()
    {
        using var ws = new PipelineWorkspace("""
            pipelines:
              ci:
                steps:
                  - { id: first, command: "true" }
                  - { id: broken, command: "exit 4" }
                  - { id: never, command: "touch never-ran" }
                  - { id: child, pipeline: other }
              other:
                steps: [ { id: x, command: "true" } ]
            """);
        var result = await new OrchestratorClient().RunPipelineAsync("ci", ws.Options());

        Assert.AreEqual(RunStatus.Failed, result.Status);
        Assert.AreEqual(4, result.ExitCode);
        StringAssert.Contains(result.StatusDetail, "step broken exited with code 4");
        Assert.IsFalse(File.Exists(ws.Combine("never-ran")));
        RunFiles.AssertValidRun(result.ManifestPath);
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        var commands = Commands(manifest);
        CollectionAssert.AreEqual(new[] { "succeeded", "failed", "skipped", "skipped" }, commands.Select(c => c.GetProperty("status").GetString()).ToArray());
        Assert.AreEqual("not run: step broken failed", commands[2].GetProperty("statusDetail").GetString());
        Assert.AreEqual(0, manifest.RootElement.GetProperty("childRuns").GetArrayLength(), "a skipped sub-pipeline starts no child run");
    }

    [TestMethod]
    public async Task ContinueOnErrorLetsThePipelineGoOnAndSucceed()
    {
        using var ws = new PipelineWorkspace("""
            pipelines:
              ci:
                steps:
                  - { id: flaky, command: "exit 2", continueOnError: true }
                  - { id: after, command: "touch after-ran" }
            """);
        var result = await new OrchestratorClient().RunPipelineAsync("ci", ws.Options());

        Assert.AreEqual(RunStatus.Succeeded, result.Status);
        Assert.IsTrue(File.Exists(ws.Combine("after-ran")));
        StringAssert.Contains(result.StatusDetail, "flaky");
        StringAssert.Contains(result.StatusDetail, "continueOnError");
        Assert.IsNull(result.GuardrailStatus, "only guardrails runs get a recommendation");
    }

    [TestMethod]
    public async Task ASubPipelineRunsAsAChildRunWithItsOwnManifest()
    {
        using var ws = new PipelineWorkspace("""
            pipelines:
              ci:
                stages:
                  - id: checks
                    steps:
                      - { id: lint, pipeline: lint }
                      - { id: done, command: "true" }
              lint:
                steps:
                  - { id: style, command: "echo style-ok" }
            """);
        var result = await new OrchestratorClient().RunPipelineAsync("ci", ws.Options());

        Assert.AreEqual(RunStatus.Succeeded, result.Status, result.StatusDetail);
        var child = result.ChildRuns.Single();
        Assert.AreEqual("lint", child.PipelineId);
        Assert.AreEqual(RunStatus.Succeeded, child.Status);
        Assert.IsFalse(Path.IsPathRooted(child.ManifestPath));
        string childManifest = Path.GetFullPath(Path.Combine(result.RunDirectory, child.ManifestPath));
        RunFiles.AssertValidRun(result.ManifestPath);
        RunFiles.AssertValidRun(childManifest);

        using var parent = RunFiles.ReadManifest(result.ManifestPath);
        var listed = parent.RootElement.GetProperty("childRuns")[0];
        Assert.AreEqual(child.RunId, listed.GetProperty("runId").GetString());
        Assert.AreEqual("lint", listed.GetProperty("pipelineId").GetString());
        Assert.AreEqual("succeeded", listed.GetProperty("status").GetString());
        Assert.AreEqual(child.ManifestPath, listed.GetProperty("manifestPath").GetString());
        Assert.AreEqual(child.RunId, Commands(parent)[0].GetProperty("childRunId").GetString());
        Assert.AreEqual("pipeline: lint", Commands(parent)[0].GetProperty("command").GetString());

        using var childDoc = RunFiles.ReadManifest(childManifest);
        Assert.AreEqual(result.RunId, childDoc.RootElement.GetProperty("parentRunId").GetString());
        Assert.AreEqual("lint", childDoc.RootElement.GetProperty("pipelineId").GetString());
    }

    [TestMethod]
    public async Task EveryRunAppendsItsStateChangesToTheTaskState()
    {
        using var ws = new PipelineWorkspace("""
            pipelines:
              ci:
                steps: [ { id: sub, pipeline: lint } ]
              lint:
                steps: [ { id: x, command: "exit 1" } ]
            """);
        var client = new OrchestratorClient();
        var exec = await client.ExecAsync(new Core.Commands.ExecRequest { Command = Core.Exec.CommandSpec.FromShell("true") }, ws.Options());
        var pipeline = await client.RunPipelineAsync("ci", ws.Options());

        var entries = ws.State().Entries().ToList();
        var byRun = entries.GroupBy(e => e.RunId).ToDictionary(g => g.Key, g => g.Select(e => e.Status).ToArray());
        CollectionAssert.AreEqual(new[] { RunStatus.InProgress, RunStatus.Succeeded }, byRun[exec.RunId]);
        CollectionAssert.AreEqual(new[] { RunStatus.InProgress, RunStatus.Failed }, byRun[pipeline.RunId]);
        string childId = pipeline.ChildRuns.Single().RunId;
        CollectionAssert.AreEqual(new[] { RunStatus.InProgress, RunStatus.Failed }, byRun[childId]);
        Assert.AreEqual(pipeline.RunId, entries.First(e => e.RunId == childId).ParentRunId);
        Assert.AreEqual(6, entries.Count);

        var latest = ws.State().LatestRun();
        Assert.AreEqual(childId, latest!.RunId, "the most recently started run: the child started after its parent");
        Assert.AreEqual(pipeline.ManifestPath, ws.State().ResolveManifestPath(ws.State().Latest(pipeline.RunId)!));
        Assert.AreEqual(2, ws.State().RunsByStatus(RunStatus.Failed).Count);
    }

    [TestMethod]
    public async Task AStepPolicyOverrideAppliesToThatStepOnly()
    {
        using var ws = new PipelineWorkspace("""
            pipelines:
              ci:
                steps:
                  - { id: guarded, command: "touch guarded-ran", approvalPolicy: untrusted }
                  - { id: free, command: "echo hi" }
            """);
        var result = await new OrchestratorClient().RunPipelineAsync("ci", ws.Options());

        Assert.AreEqual(RunStatus.Failed, result.Status, "untrusted asks before running touch, and no one can answer");
        StringAssert.Contains(result.StatusDetail, "guarded");
        StringAssert.Contains(result.StatusDetail, "denied");
        Assert.AreEqual(CommandStatus.Skipped, result.Steps[1].Status);
    }
}
