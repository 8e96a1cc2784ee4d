using Orchestrator.Core.Configuration;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Pipelines;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Pipelines;

[TestClass]
public sealed class PipelineConfigurationTests
{
    private static ConfigurationException Invalid(string yaml)
    {
        using var ws = new PipelineWorkspace(yaml);
        return Assert.ThrowsExactly<ConfigurationException>(() => ws.Catalog());
    }

    [TestMethod]
    public void StagesStepsAndEveryStepSettingAreRead()
    {
        using var ws = new PipelineWorkspace("""
            pipelines:
              ci:
                title: Continuous integration
                stages:
                  - id: build
                    steps:
                      - id: compile
                        title: Compile
                        command: make all
                        cwd: src
                        env: { MODE: release, DROP: }
                        timeout: 90s
                        continueOnError: true
                        approvalPolicy: never
                        sandbox: read-only
                        pty: true
                  - id: check
                    steps:
                      - id: lint
                        argv: [eslint, "--max-warnings", "0"]
                      - id: sub
                        pipeline: lint
                      - id: specs
                        builtin: spec-guard
                        dryRun: true
              lint:
                steps:
                  - { id: one, command: "true" }
            """);
        var catalog = ws.Catalog();
        var ci = catalog.Get("ci");
        Assert.AreEqual("Continuous integration", ci.Title);
        CollectionAssert.AreEqual(new[] { "build", "check" }, ci.Stages.Select(s => s.Id).ToArray());
        var compile = ci.Stages[0].Steps[0];
        Assert.AreEqual(PipelineStepKind.Command, compile.Kind);
        Assert.AreEqual("make all", compile.Command);
        Assert.AreEqual(ws.Combine("src"), compile.WorkingDirectory);
        Assert.AreEqual("release", compile.Environment["MODE"]);
        Assert.IsNull(compile.Environment["DROP"]);
        Assert.AreEqual(TimeSpan.FromSeconds(90), compile.Timeout);
        Assert.IsTrue(compile.ContinueOnError);
        Assert.AreEqual(ApprovalPolicy.Never, compile.ApprovalPolicy);
        Assert.AreEqual(SandboxMode.ReadOnly, compile.SandboxMode);
        Assert.IsTrue(compile.Pty);
        CollectionAssert.AreEqual(new[] { "eslint", "--max-warnings", "0" }, ci.Stages[1].Steps[0].Argv.ToArray());
        Assert.AreEqual(PipelineStepKind.Pipeline, ci.Stages[1].Steps[1].Kind);
        Assert.AreEqual(PipelineStepKind.Builtin, ci.Stages[1].Steps[2].Kind);
        Assert.IsTrue(ci.Stages[1].Steps[2].DryRun);
        Assert.AreEqual("main", catalog.Get("lint").Stages.Single().Id, "'steps:' is one stage named main");
    }

    [TestMethod]
    public void AnUnknownStepKeyIsRefusedAtItsLine()
    {
        var ex = Invalid("""
            pipelines:
              ci:
                steps:
                  - id: a
                    comand: make
            """);
        StringAssert.Contains(ex.Message, "unknown key 'comand'");
        Assert.AreEqual(5, ex.Line);
    }

    [TestMethod]
    public void ADuplicateStepIdAcrossStagesIsRefused()
    {
        var ex = Invalid("""
            pipelines:
              ci:
                stages:
                  - id: one
                    steps: [ { id: build, command: make } ]
                  - id: two
                    steps: [ { id: build, command: make test } ]
            """);
        StringAssert.Contains(ex.Message, "the step id 'build' is used twice");
    }

    [TestMethod]
    public void ACycleOfSubPipelinesIsRefusedNamingTheCycle()
    {
        var ex = Invalid("""
            pipelines:
              a:
                steps: [ { id: to-b, pipeline: b } ]
              b:
                steps: [ { id: to-c, pipeline: c } ]
              c:
                steps: [ { id: back-to-a, pipeline: a } ]
            """);
        StringAssert.Contains(ex.Message, "a cycle of sub-pipelines: a -> b -> c -> a");
        Assert.IsNotNull(ex.Line);
    }

    [TestMethod]
    public void APipelineThatRunsItselfIsACycle()
    {
        var ex = Invalid("""
            pipelines:
              loop:
                steps: [ { id: again, pipeline: loop } ]
            """);
        StringAssert.Contains(ex.Message, "loop -> loop");
    }

    [TestMethod]
    public void ASubPipelineThatDoesNotExistIsRefused()
    {
        var ex = Invalid("""
            pipelines:
              ci:
                steps: [ { id: lint, pipeline: lnt } ]
              lint:
                steps: [ { id: one, command: "true" } ]
            """);
        StringAssert.Contains(ex.Message, "runs the unknown pipeline 'lnt' (configured: ci, lint)");
        Assert.AreEqual(3, ex.Line);
    }

    [TestMethod]
    public void AStepMustDoExactlyOneThing()
    {
        StringAssert.Contains(Invalid("pipelines:\n  ci:\n    steps: [ { id: a, command: make, argv: [make] } ]\n").Message, "a step does exactly one thing");
        StringAssert.Contains(Invalid("pipelines:\n  ci:\n    steps: [ { id: a } ]\n").Message, "needs one of 'command', 'argv', 'pipeline' or 'builtin'");
        StringAssert.Contains(Invalid("pipelines:\n  ci:\n    steps: [ { id: a, builtin: spell-check } ]\n").Message, "unknown built-in check 'spell-check'");
        StringAssert.Contains(Invalid("pipelines:\n  ci:\n    steps: [ { id: a, command: make, timeout: soon } ]\n").Message, "invalid duration 'soon'");
    }

    [TestMethod]
    public void BuiltInPipelineNamesAreReserved()
    {
        StringAssert.Contains(Invalid("pipelines:\n  diagnostics:\n    steps: [ { id: a, command: make } ]\n").Message, "belongs to a built-in pipeline");
    }

    [TestMethod]
    public async Task RunningAPipelineThatIsNotConfiguredFailsWithTheNamesThatAre()
    {
        using var ws = new PipelineWorkspace("pipelines:\n  ci:\n    steps: [ { id: a, command: \"true\" } ]\n");
        var ex = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => new OrchestratorClient().RunPipelineAsync("deploy", ws.Options()));
        Assert.AreEqual(OrchestratorErrorCode.UnknownPipeline, ex.Code);
        StringAssert.Contains(ex.Message, "Unknown pipeline 'deploy' (configured: ci)");
        Assert.IsFalse(Directory.Exists(ws.RunsRoot), "nothing is recorded for a pipeline that does not exist");
    }

    [TestMethod]
    public async Task GuardrailsWithoutConfigurationFailClearly()
    {
        using var ws = new PipelineWorkspace("");
        var ex = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => new OrchestratorClient().RunGuardrailsAsync(ws.Options()));
        Assert.AreEqual(OrchestratorErrorCode.UnknownPipeline, ex.Code);
        StringAssert.Contains(ex.Message, "No guardrails are configured");
    }

    [TestMethod]
    public void TheDefinitionHashIgnoresTitlesButNotCommands()
    {
        using var ws = new PipelineWorkspace("pipelines:\n  ci:\n    steps: [ { id: a, command: make, title: Build } ]\n");
        string first = ws.Catalog().DefinitionSha256("ci");
        ws.WriteConfig("pipelines:\n  ci:\n    steps: [ { id: a, command: make, title: Compile } ]\n");
        Assert.AreEqual(first, ws.Catalog().DefinitionSha256("ci"));
        ws.WriteConfig("pipelines:\n  ci:\n    steps: [ { id: a, command: make test } ]\n");
        Assert.AreNotEqual(first, ws.Catalog().DefinitionSha256("ci"));
    }
}
