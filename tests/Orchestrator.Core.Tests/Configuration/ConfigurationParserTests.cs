using System.Security.Cryptography;
using System.Text;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Orchestration.Approvals;

namespace Orchestrator.Core.Tests.Configuration;

[TestClass]
public sealed class ConfigurationParserTests
{
    [TestMethod]
    public void FullFileReadsIntoTheModelWithResolvedPathsAndLocations()
    {
        using var ws = new ConfigWorkspace();
        string path = ws.WriteRepo(ConfigSamples.Full);

        var file = ConfigurationLoader.ReadFile(path, ws.Home)!;
        var config = file.Config;

        Assert.AreEqual(path, file.Path);
        Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), file.Sha256);

        Assert.AreEqual("my-task", config.TaskId!.Value);
        Assert.AreEqual(new ConfigLocation(path, 1, 9), config.TaskId.Location);
        Assert.AreEqual(Path.Combine(ws.Root, ".runs"), config.RunsRoot!.Value);
        Assert.AreEqual(ApprovalPolicy.OnFailure, config.ApprovalPolicy!.Value);
        Assert.AreEqual(new ConfigLocation(path, 3, 17), config.ApprovalPolicy.Location);

        Assert.AreEqual(SandboxMode.WorkspaceWrite, config.Sandbox.Mode!.Value);
        Assert.IsFalse(config.Sandbox.Network!.Value);
        CollectionAssert.AreEqual(
            new[] { "/var/cache/build", Path.Combine(ws.Home, ".nuget", "packages") },
            config.Sandbox.WritableRoots!.Value.ToArray());
        Assert.AreEqual(new ConfigLocation(path, 7, 18), config.Sandbox.WritableRoots.Location);
        Assert.IsTrue(config.Sandbox.ProtectGit!.Value);

        Assert.AreEqual(3, config.Retries.MaxAttempts!.Value);
        Assert.AreEqual(250, config.Retries.InitialDelayMs!.Value);
        Assert.AreEqual(10000, config.Retries.MaxDelayMs!.Value);
        CollectionAssert.AreEqual(new[] { 75, 111 }, config.Retries.TransientExitCodes!.Value.ToArray());
        CollectionAssert.AreEqual(
            new[] { "Connection reset by peer", "TLS handshake timeout" },
            config.Retries.TransientOutputPatterns!.Value.ToArray());

        var rule = Assert.ContainsSingle(config.Approvals.Rules);
        CollectionAssert.AreEqual(new[] { "dotnet", "restore" }, rule.Value.Prefix.ToArray());
        Assert.AreEqual(ApprovalAction.Escalate, rule.Value.Action);
        Assert.AreEqual(ApprovalScope.Persistent, rule.Value.Scope);
        Assert.AreEqual("restore needs the NuGet cache and network", rule.Value.Reason);
        Assert.AreEqual(new ConfigLocation(path, 17, 7), rule.Location);

        var safe = config.Approvals.SafeCommands!.Value;
        Assert.HasCount(2, safe);
        CollectionAssert.AreEqual(new[] { "make", "-n" }, safe[0].ToArray());
        CollectionAssert.AreEqual(new[] { "terraform", "plan" }, safe[1].ToArray());
        Assert.AreEqual(Path.Combine(ws.Root, ".runs", "approvals.jsonl"), config.Approvals.CacheFile!.Value);

        Assert.AreEqual("MY_DEPLOY_CREDENTIAL", Assert.ContainsSingle(config.Secrets.Env).Value);
        var pattern = Assert.ContainsSingle(config.Secrets.Patterns);
        Assert.AreEqual("ghp_[A-Za-z0-9]{36}", pattern.Value);
        Assert.AreEqual(new ConfigLocation(path, 25, 14), pattern.Location);

        Assert.AreEqual(1048576L, config.Output.EventBudgetBytes!.Value);
        Assert.AreEqual(65536, config.Output.CaptureBytes!.Value);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("# nothing configured yet\n")]
    [DataRow("---\n")]
    [DataRow("~\n")]
    public void EmptyFileIsAnEmptyConfiguration(string yaml)
    {
        using var ws = new ConfigWorkspace();
        var file = ConfigurationLoader.ReadFile(ws.WriteRepo(yaml), ws.Home);

        Assert.IsNotNull(file);
        AssertEmpty(file.Config);
        Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml))), file.Sha256);
    }

    [TestMethod]
    public void KeysWithNoValueAreNotSet()
    {
        using var ws = new ConfigWorkspace();
        var config = ConfigurationLoader.ReadFile(ws.WriteRepo("""
            taskId:
            approvalPolicy: ~
            sandbox:
            retries:
              maxAttempts: null
            approvals:
              rules:
            """), ws.Home)!.Config;

        AssertEmpty(config);
    }

    [TestMethod]
    public void MissingFileReadsAsNull()
    {
        using var ws = new ConfigWorkspace();
        Assert.IsNull(ConfigurationLoader.ReadFile(ws.RepoFile, ws.Home));
    }

    [TestMethod]
    public void ByteOrderMarkIsSkippedButHashed()
    {
        using var ws = new ConfigWorkspace();
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("taskId: with-bom\n")];
        File.WriteAllBytes(ws.RepoFile, bytes);

        var file = ConfigurationLoader.ReadFile(ws.RepoFile, ws.Home)!;

        Assert.AreEqual("with-bom", file.Config.TaskId!.Value);
        Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.Sha256);
    }

    [TestMethod]
    public void RelativePathsResolveAgainstTheFilesDirectoryAndTildeAgainstHome()
    {
        using var ws = new ConfigWorkspace();
        string path = ws.Write(Path.Combine("build", "ci", "orchestrator.yaml"), """
            runsRoot: ../../out/runs
            sandbox:
              writableRoots: [cache, ./tmp/../obj, "~", ~/.nuget/packages, /abs/olute]
            approvals:
              cacheFile: approvals/cache.jsonl
            """);

        var config = ConfigurationLoader.ReadFile(path, ws.Home)!.Config;

        string dir = Path.Combine(ws.Root, "build", "ci");
        Assert.AreEqual(Path.Combine(ws.Root, "out", "runs"), config.RunsRoot!.Value);
        CollectionAssert.AreEqual(
            new[] { Path.Combine(dir, "cache"), Path.Combine(dir, "obj"), ws.Home, Path.Combine(ws.Home, ".nuget", "packages"), "/abs/olute" },
            config.Sandbox.WritableRoots!.Value.ToArray());
        Assert.AreEqual(Path.Combine(dir, "approvals", "cache.jsonl"), config.Approvals.CacheFile!.Value);
    }

    [TestMethod]
    public void AnchorsAndAliasesAreResolved()
    {
        using var ws = new ConfigWorkspace();
        var config = ConfigurationLoader.ReadFile(ws.WriteRepo("""
            approvals:
              rules:
                - prefix: &restore [dotnet, restore]
                  action: escalate
                - prefix: *restore
                  action: run
            """), ws.Home)!.Config;

        Assert.HasCount(2, config.Approvals.Rules);
        CollectionAssert.AreEqual(new[] { "dotnet", "restore" }, config.Approvals.Rules[1].Value.Prefix.ToArray());
        Assert.AreEqual(ApprovalAction.Run, config.Approvals.Rules[1].Value.Action);
    }

    [TestMethod]
    public void RulePrefixMayBeOneLineSplitOnWhitespaceAndScopeDefaultsToPersistent()
    {
        using var ws = new ConfigWorkspace();
        var rule = Assert.ContainsSingle(ConfigurationLoader.ReadFile(ws.WriteRepo("""
            approvals:
              rules:
                - prefix: "npm   ci"
                  action: escalate
            """), ws.Home)!.Config.Approvals.Rules).Value;

        CollectionAssert.AreEqual(new[] { "npm", "ci" }, rule.Prefix.ToArray());
        Assert.AreEqual(ApprovalScope.Persistent, rule.Scope);
        Assert.IsNull(rule.Reason);
    }

    [TestMethod]
    public void StringSettingsKeepNumberLikeTextAsWritten()
    {
        using var ws = new ConfigWorkspace();
        var config = ConfigurationLoader.ReadFile(ws.WriteRepo("""
            taskId: 0303
            secrets:
              patterns: [!!str 123]
            """), ws.Home)!.Config;

        Assert.AreEqual("0303", config.TaskId!.Value);
        Assert.AreEqual("123", Assert.ContainsSingle(config.Secrets.Patterns).Value);
    }

    [TestMethod]
    public void EmptyListIsSetAndEmpty()
    {
        using var ws = new ConfigWorkspace();
        var config = ConfigurationLoader.ReadFile(ws.WriteRepo("sandbox:\n  writableRoots: []\n"), ws.Home)!.Config;

        Assert.IsNotNull(config.Sandbox.WritableRoots);
        Assert.IsEmpty(config.Sandbox.WritableRoots.Value);
    }

    private static void AssertEmpty(OrchestratorConfig config)
    {
        Assert.IsNull(config.TaskId);
        Assert.IsNull(config.RunsRoot);
        Assert.IsNull(config.ApprovalPolicy);
        Assert.AreEqual(SandboxConfig.Empty, config.Sandbox);
        Assert.AreEqual(RetriesConfig.Empty, config.Retries);
        Assert.IsEmpty(config.Approvals.Rules);
        Assert.IsNull(config.Approvals.SafeCommands);
        Assert.IsNull(config.Approvals.CacheFile);
        Assert.IsEmpty(config.Secrets.Env);
        Assert.IsEmpty(config.Secrets.Patterns);
        Assert.AreEqual(OutputConfig.Empty, config.Output);
    }
}
