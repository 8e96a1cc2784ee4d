using System.Text.Json;
using Orchestrator.Tasks.Tests.Support;

namespace Orchestrator.Tasks.Tests;

/// <summary>OrchestratorExec's sandbox, approvals and configuration, through real `dotnet msbuild` builds.</summary>
[TestClass]
public sealed class ApprovalAndSandboxTests
{
    [ClassInitialize]
    public static async Task PrepareConsumerAsync(TestContext _) => await ConsumerProject.PrepareAsync();

    private static Dictionary<string, string> Props(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [TestMethod]
    public async Task TheDefaultSandboxRefusesWritesOutsideTheProjectAndTheBuildFailsClearly()
    {
        using var outside = new TempDirectory(Path.Combine("/var/tmp", "orch-msbuild"));
        string target = outside.Combine("escape.txt");
        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec", Props(("OrchestratorCommand", $"echo x > {target}")));

        Assert.AreNotEqual(0, result.ExitCode);
        Assert.IsFalse(File.Exists(target));

        // The refusal is known only from the words in stderr: the command's own failure (ORCH0100),
        // marked as possibly denied with the settings that would allow it, never "escalation not approved".
        StringAssert.Contains(result.Stdout, "error ORCH0100");
        Assert.DoesNotContain("ORCH0106", result.Stdout);
        StringAssert.Contains(result.Stdout, "Read-only file system");
        StringAssert.Contains(result.Stdout, "possibly denied by the sandbox");
        StringAssert.Contains(result.Stdout, "orchestrator.yaml");
        string manifest = ConsumerProject.Manifests(runs).Single();
        RunFiles.AssertValidRun(manifest);
        using var doc = RunFiles.ReadManifest(manifest);
        Assert.AreEqual("on-failure", doc.RootElement.GetProperty("approvalPolicy").GetString());
        Assert.AreEqual("workspace-write", doc.RootElement.GetProperty("sandboxMode").GetString());
        Assert.AreEqual("default", doc.RootElement.GetProperty("settingSources").GetProperty("approvalPolicy").GetString());
        Assert.AreEqual("failed", doc.RootElement.GetProperty("toolRuns")[0].GetProperty("status").GetString());
    }

    [TestMethod]
    public async Task AConfigRuleLetsTheCommandEscalateAndTheBuildSaysSo()
    {
        using var outside = new TempDirectory(Path.Combine("/var/tmp", "orch-msbuild"));
        string target = outside.Combine("allowed.txt");
        using var config = new TempDirectory();
        string configFile = config.Combine("orchestrator.yaml");
        await File.WriteAllTextAsync(configFile, """
            approvals:
              rules:
                - prefix: [sh, -c]
                  action: escalate
                  reason: "the release step writes outside the workspace"
            """);
        string script = outside.Combine("step.sh");
        await File.WriteAllTextAsync(script, $"echo allowed > {target}\n");

        var (result, runs) = await ConsumerProject.MSBuildAsync("RunShArgv", Props(("Script", script), ("OrchestratorConfigFile", configFile)));

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.AreEqual("allowed\n", await File.ReadAllTextAsync(target));
        StringAssert.Contains(result.Stdout, "ORCH1004");
        using var doc = RunFiles.ReadManifest(ConsumerProject.Manifests(runs).Single());
        var toolRun = doc.RootElement.GetProperty("toolRuns")[0];
        Assert.AreEqual("escalated", toolRun.GetProperty("sandboxState").GetString());
        Assert.AreEqual("config", toolRun.GetProperty("approvalSource").GetString());
        StringAssert.StartsWith(doc.RootElement.GetProperty("approvals")[0].GetProperty("actor").GetString(), configFile + ":3:");
        Assert.AreEqual("repo", doc.RootElement.GetProperty("configurationFiles")[0].GetProperty("level").GetString());
    }

    [TestMethod]
    [DataRow("never")]
    [DataRow("on-failure")]
    public async Task WithoutBubblewrapOnPathTheBuildStopsWithTheInstallHint(string policy)
    {
        using var bin = new TempDirectory();
        foreach (string tool in new[] { "sh", "true", "echo", "cat", "env" })
        {
            File.CreateSymbolicLink(bin.Combine(tool), Path.Combine("/usr/bin", tool));
        }

        var environment = new Dictionary<string, string?> { ["PATH"] = bin.Path + ":/usr/share/dotnet" };
        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "echo should-not-run"), ("OrchestratorApprovalPolicy", policy)), environment: environment);

        Assert.AreNotEqual(0, result.ExitCode);
        StringAssert.Contains(result.Stdout, "error ORCH0107");
        StringAssert.Contains(result.Stdout, "apt-get install -y bubblewrap");
        Assert.IsFalse(result.Stdout.Contains("should-not-run\n", StringComparison.Ordinal));
        using var doc = RunFiles.ReadManifest(ConsumerProject.Manifests(runs).Single());
        Assert.AreEqual("unavailable", doc.RootElement.GetProperty("toolRuns")[0].GetProperty("sandboxState").GetString());
    }

    [TestMethod]
    public async Task DangerFullAccessIsAnExplicitChoice()
    {
        using var outside = new TempDirectory(Path.Combine("/var/tmp", "orch-msbuild"));
        string target = outside.Combine("free.txt");
        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", $"echo free > {target}"), ("OrchestratorSandboxMode", "danger-full-access")));

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.IsTrue(File.Exists(target));
        using var doc = RunFiles.ReadManifest(ConsumerProject.Manifests(runs).Single());
        Assert.AreEqual("explicit", doc.RootElement.GetProperty("settingSources").GetProperty("sandbox.mode").GetString());
        Assert.AreEqual("unsandboxed", doc.RootElement.GetProperty("toolRuns")[0].GetProperty("sandboxState").GetString());
    }

    [TestMethod]
    public async Task UnknownPolicyOrSandboxValuesAreOrchErrorsListingTheChoices()
    {
        var (policy, _) = await ConsumerProject.MSBuildAsync("OrchestratorExec", Props(("OrchestratorCommand", "true"), ("OrchestratorApprovalPolicy", "sometimes")));
        var (sandbox, _) = await ConsumerProject.MSBuildAsync("OrchestratorExec", Props(("OrchestratorCommand", "true"), ("OrchestratorSandboxMode", "jail")));

        StringAssert.Contains(policy.Stdout, "error ORCH0006");
        StringAssert.Contains(policy.Stdout, "untrusted, on-failure, on-request, never");
        StringAssert.Contains(sandbox.Stdout, "error ORCH0006");
        StringAssert.Contains(sandbox.Stdout, "read-only, workspace-write, danger-full-access");
    }

    [TestMethod]
    public async Task AConfigurationErrorNamesTheFileLineAndColumn()
    {
        using var config = new TempDirectory();
        string configFile = config.Combine("orchestrator.yaml");
        await File.WriteAllTextAsync(configFile, "sandbox:\n  mode: workspace-write\n  netwrk: true\n");

        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec", Props(("OrchestratorCommand", "true"), ("OrchestratorConfigFile", configFile)));

        Assert.AreNotEqual(0, result.ExitCode);
        StringAssert.Contains(result.Stdout, "error ORCH0009");
        StringAssert.Contains(result.Stdout, configFile + ":3:3");
        StringAssert.Contains(result.Stdout, "netwrk");
        Assert.AreEqual(0, ConsumerProject.Manifests(runs).Length, "nothing runs on a bad configuration");
    }

    [TestMethod]
    public async Task NetworkAccessAndWritableRootsAreParameters()
    {
        using var cache = new TempDirectory(Path.Combine("/var/tmp", "orch-cache"));
        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", $"echo cached > {cache.Combine("entry")}"), ("OrchestratorWritableRoots", cache.Path), ("OrchestratorNetworkAccess", "true")));

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.AreEqual("cached\n", await File.ReadAllTextAsync(cache.Combine("entry")));
        using var doc = RunFiles.ReadManifest(ConsumerProject.Manifests(runs).Single());
        Assert.IsTrue(doc.RootElement.GetProperty("sandbox").GetProperty("networkAccess").GetBoolean());
        Assert.AreEqual(cache.Path, doc.RootElement.GetProperty("sandbox").GetProperty("writableRoots")[0].GetString());
    }
}
