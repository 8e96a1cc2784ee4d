using Orchestrator.Core.Configuration;

namespace Orchestrator.Core.Tests.Configuration;

[TestClass]
public sealed class EnvironmentConfigurationTests
{
    [TestMethod]
    [DataRow("MCP_RUNNER_TASK_ID", "a/b", "invalid task id 'a/b': '/' is not allowed")]
    [DataRow("ORCHESTRATOR_APPROVAL_POLICY", "sometimes", "invalid value 'sometimes' (expected one of: untrusted, on-failure, on-request, never)")]
    [DataRow("ORCHESTRATOR_SANDBOX", "none", "invalid value 'none' (expected one of: read-only, workspace-write, danger-full-access)")]
    [DataRow("ORCHESTRATOR_NETWORK", "yes", "expected true, false, 1 or 0, got 'yes'")]
    [DataRow("ORCHESTRATOR_MAX_ATTEMPTS", "three", "expected an integer, got 'three'")]
    [DataRow("ORCHESTRATOR_MAX_ATTEMPTS", "0", "must be between 1 and 20, got 0")]
    [DataRow("ORCHESTRATOR_MAX_ATTEMPTS", "99999999999999999999", "must be between 1 and 20, got 99999999999999999999")]
    [DataRow("ORCHESTRATOR_EVENT_BUDGET_BYTES", "-1", "must be at least 0, got -1")]
    [DataRow("ORCHESTRATOR_CAPTURE_BYTES", "1", "must be at least 2, got 1")]
    [DataRow("ORCHESTRATOR_CAPTURE_BYTES", "64 KiB", "expected an integer, got '64 KiB'")]
    [DataRow("ORCHESTRATOR_RUNS_ROOT", "~bob/runs", "only '~' and '~/...' are expanded")]
    [DataRow("ORCHESTRATOR_WRITABLE_ROOTS", "/ok:~alice", "only '~' and '~/...' are expanded")]
    public void InvalidVariableIsRejectedNamingIt(string variable, string value, string expectedReason)
    {
        using var ws = new ConfigWorkspace();
        ws.Environment[variable] = value;

        var error = Assert.ThrowsExactly<ConfigurationException>(() => ws.Load());

        Assert.AreEqual(variable, error.EnvironmentVariable);
        Assert.IsNull(error.FilePath);
        Assert.StartsWith($"environment variable {variable}: ", error.Message);
        Assert.Contains(expectedReason, error.Reason);
    }

    [TestMethod]
    [DataRow("true", true)]
    [DataRow("TRUE", true)]
    [DataRow("1", true)]
    [DataRow("false", false)]
    [DataRow("0", false)]
    public void NetworkAcceptsTrueFalseOneAndZero(string value, bool expected)
    {
        using var ws = new ConfigWorkspace();
        ws.Environment[ConfigurationEnvironment.Network] = value;

        var network = ws.Resolve().Network;

        Assert.AreEqual(expected, network.Value);
        Assert.AreEqual(SettingSource.Environment, network.Source);
    }

    [TestMethod]
    public void EmptyVariablesCountAsUnset()
    {
        using var ws = new ConfigWorkspace();
        ws.WriteRepo("taskId: from-repo\nretries:\n  maxAttempts: 4\n");
        foreach (string name in new[]
                 {
                     ConfigurationEnvironment.TaskId, ConfigurationEnvironment.MaxAttempts, ConfigurationEnvironment.ApprovalPolicy,
                     ConfigurationEnvironment.ConfigFile, ConfigurationEnvironment.WritableRoots,
                 })
        {
            ws.Environment[name] = "";
        }

        var settings = ws.Resolve();

        Assert.AreEqual("from-repo", settings.TaskId.Value);
        Assert.AreEqual(4, settings.MaxAttempts.Value);
        Assert.AreEqual(SettingSource.Repo, settings.MaxAttempts.Source);
        Assert.AreEqual(SettingSource.Default, settings.WritableRoots.Source);
    }

    [TestMethod]
    public void EnvironmentPathsResolveAgainstTheWorkingDirectoryAndHome()
    {
        using var ws = new ConfigWorkspace();
        string sub = Directory.CreateDirectory(Path.Combine(ws.Root, "sub")).FullName;
        ws.Environment[ConfigurationEnvironment.RunsRoot] = "runs";
        ws.Environment[ConfigurationEnvironment.WritableRoots] = "~/.nuget/packages:cache";

        var settings = ws.Load(workingDirectory: sub).Resolve(ExplicitSettings.None);

        Assert.AreEqual(Path.Combine(sub, "runs"), settings.RunsRoot.Value);
        CollectionAssert.AreEqual(
            new[] { Path.Combine(ws.Home, ".nuget", "packages"), Path.Combine(sub, "cache") },
            settings.WritableRoots.Value.ToArray());
    }

    [TestMethod]
    public void RealProcessEnvironmentIsNotConsulted()
    {
        using var ws = new ConfigWorkspace();
        ws.Environment.Clear();

        var loaded = ws.Load();

        Assert.IsNull(loaded.HomeDirectory);
        Assert.AreEqual(ExplicitSettings.None, loaded.FromEnvironment);
    }
}
