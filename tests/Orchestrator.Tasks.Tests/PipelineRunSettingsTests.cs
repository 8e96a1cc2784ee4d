using System.Text.Json;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Tests.Telemetry;
using Orchestrator.Tasks.Tests.Support;

namespace Orchestrator.Tasks.Tests;

/// <summary>
/// The run settings the pipeline targets share with OrchestratorExec (OrchestratorNetworkAccess,
/// OrchestratorWritableRoots, OrchestratorMaxAttempts, OrchestratorNotify, OrchestratorOtelEndpoint),
/// in real `dotnet build`s of a fixture git repository that references the package.
/// </summary>
[TestClass]
public sealed class PipelineRunSettingsTests
{
    private const int TestTimeoutMs = 600_000;

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(3);

    // The build must not pick up an endpoint or targets from the machine running the tests.
    private static readonly Dictionary<string, string?> CleanEnvironment = new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
        ["OTEL_EXPORTER_OTLP_HEADERS"] = null,
        ["ORCHESTRATOR_NOTIFY"] = null,
        ["TRACEPARENT"] = null,
    };

    [ClassInitialize]
    public static async Task PrepareConsumerAsync(TestContext _) => await ConsumerProject.PrepareAsync();

    [TestMethod]
    [Timeout(TestTimeoutMs, CooperativeCancellation = true)]
    public async Task NetworkAccessAndWritableRootsReachThePipelineRun()
    {
        using var repo = await GuardrailRepository.CreateAsync();
        using var writable = new TempDirectory("orch-writable-root");
        string marker = Path.Combine(writable.Path, "pipeline-wrote");
        await File.WriteAllTextAsync(repo.Combine("orchestrator.yaml"), GuardrailRepository.Config + $$"""

              probe:
                steps:
                  - { id: touch, command: "touch {{marker}}" }
            """);

        var result = await repo.BuildAsync("OrchestratorPipeline", CleanEnvironment, BuildTimeout,
            "OrchestratorPipelineName=probe", "OrchestratorNetworkAccess=true", "OrchestratorWritableRoots=" + writable.Path);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.IsTrue(File.Exists(marker), "the sandboxed step wrote into the writable root: " + result);
        string manifestPath = repo.Manifests().Single();
        RunFiles.AssertValidRun(manifestPath);
        using var manifest = RunFiles.ReadManifest(manifestPath);
        var root = manifest.RootElement;
        Assert.AreEqual("probe", root.GetProperty("pipelineId").GetString());
        Assert.AreEqual("succeeded", root.GetProperty("commands")[0].GetProperty("status").GetString());
        var sandbox = root.GetProperty("sandbox");
        Assert.IsTrue(sandbox.GetProperty("networkAccess").GetBoolean(), sandbox.ToString());
        CollectionAssert.Contains(sandbox.GetProperty("writableRoots").EnumerateArray().Select(r => r.GetString()).ToList(), writable.Path, sandbox.ToString());
        var sources = root.GetProperty("settingSources");
        Assert.AreEqual("explicit", sources.GetProperty("sandbox.network").GetString());
        Assert.AreEqual("explicit", sources.GetProperty("sandbox.writableRoots").GetString());
    }

    [TestMethod]
    [Timeout(TestTimeoutMs, CooperativeCancellation = true)]
    public async Task AnInvalidMaxAttemptsOrNetworkAccessFailsEveryPipelineTargetWithOrch0006AndStartsNoRun()
    {
        using var repo = await GuardrailRepository.CreateAsync();
        (string Target, string[] Properties)[] targets =
        [
            ("OrchestratorPipeline", ["OrchestratorPipelineName=ci"]),
            ("OrchestratorGuardrails", []),
            ("OrchestratorResume", ["OrchestratorResumeRunId=latest"]),
            ("OrchestratorDiagnostics", []),
        ];

        foreach (var (target, properties) in targets)
        {
            var result = await repo.BuildAsync(target, CleanEnvironment, BuildTimeout, [.. properties, "OrchestratorMaxAttempts=0"]);
            Assert.AreNotEqual(0, result.ExitCode, target + ": " + result);
            StringAssert.Contains(result.Stdout, $"error ORCH0006: Invalid value \"0\" for parameter MaxAttempts: use a number from 1 to {RetryPolicy.Limit}", target + ": " + result);
        }

        var network = await repo.BuildAsync("OrchestratorPipeline", CleanEnvironment, BuildTimeout, "OrchestratorPipelineName=ci", "OrchestratorNetworkAccess=maybe");
        Assert.AreNotEqual(0, network.ExitCode, network.ToString());
        StringAssert.Contains(network.Stdout, "error ORCH0006: Invalid value \"maybe\" for parameter NetworkAccess: use true or false", network.ToString());

        Assert.AreEqual(0, repo.Manifests().Length, "nothing runs for an invalid parameter");
    }

    [TestMethod]
    [Timeout(TestTimeoutMs, CooperativeCancellation = true)]
    public async Task OrchestratorNotifyDeliversThePipelineRunsSummaryToACommand()
    {
        using var repo = await GuardrailRepository.CreateAsync();
        using var temp = new TempDirectory("orch-pipeline-notify");
        string received = temp.Combine("received.txt");
        string script = temp.Combine("notify.sh");
        // A command target gets the run:summary JSON as its last argument (docs/notifications.md);
        // stdin is kept too, should it ever be given there.
        await File.WriteAllTextAsync(script, $"""
            for last in "$@"; do :; done
            printf '%s\n' "$last" > '{received}'
            cat >> '{received}'
            """);

        var result = await repo.BuildAsync("OrchestratorPipeline", CleanEnvironment, BuildTimeout,
            "OrchestratorPipelineName=ci", "OrchestratorNotify=command:/bin/sh " + script);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        string manifestPath = repo.Manifests().Single();
        RunFiles.AssertValidRun(manifestPath);
        string runId;
        using (var manifest = RunFiles.ReadManifest(manifestPath))
        {
            runId = manifest.RootElement.GetProperty("runId").GetString()!;
        }

        Assert.IsTrue(File.Exists(received), "the notification command ran: " + result);
        string text = await File.ReadAllTextAsync(received);
        StringAssert.Contains(text, "run:summary");
        StringAssert.Contains(text, runId);
        using var summary = JsonDocument.Parse(text.Split('\n')[0]);
        Assert.AreEqual("run:summary", summary.RootElement.GetProperty("type").GetString());
        Assert.AreEqual(runId, summary.RootElement.GetProperty("runId").GetString());
        Assert.AreEqual("succeeded", summary.RootElement.GetProperty("payload").GetProperty("status").GetString());
    }

    [TestMethod]
    [Timeout(TestTimeoutMs, CooperativeCancellation = true)]
    public async Task OrchestratorOtelEndpointSendsThePipelineRunToTheReceiver()
    {
        using var repo = await GuardrailRepository.CreateAsync();
        await using var receiver = OtlpReceiver.Answering(200);

        var result = await repo.BuildAsync("OrchestratorPipeline", CleanEnvironment, BuildTimeout,
            "OrchestratorPipelineName=ci", "OrchestratorOtelEndpoint=" + receiver.Endpoint);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        string manifestPath = repo.Manifests().Single();
        RunFiles.AssertValidRun(manifestPath);
        string runId;
        using (var manifest = RunFiles.ReadManifest(manifestPath))
        {
            runId = manifest.RootElement.GetProperty("runId").GetString()!;
        }

        // The run flushes before the build ends; the short wait only covers the receiver's own reading.
        for (int i = 0; i < 50 && receiver.Requests.IsEmpty; i++)
        {
            await Task.Delay(100);
        }

        Assert.IsFalse(receiver.Requests.IsEmpty, "the receiver got no OTLP request: " + result);
        Assert.IsTrue(receiver.Spans().Any(s => Equals(s["cicd.pipeline.run.id"], runId)), "a span names the pipeline run " + runId);
    }
}
