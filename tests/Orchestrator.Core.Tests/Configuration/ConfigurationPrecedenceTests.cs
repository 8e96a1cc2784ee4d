using System.Collections.Immutable;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Orchestration;

namespace Orchestrator.Core.Tests.Configuration;

/// <summary>explicit &gt; environment &gt; repo file &gt; user file &gt; default, for each setting, with the source reported.</summary>
[TestClass]
public sealed class ConfigurationPrecedenceTests
{
    /// <summary>Adds one level at a time, from the bottom, and checks that each new level wins and is named.</summary>
    private static void AssertLadder<T>(
        Func<EffectiveSettings, EffectiveValue<T>> select,
        Func<ConfigWorkspace, (T Default, string UserYaml, T User, string RepoYaml, T Repo, string EnvName, string EnvValue, T Env, ExplicitSettings Explicit, T ExplicitValue)> levels,
        Func<T, string>? show = null)
    {
        show ??= v => v?.ToString() ?? "null";
        using var ws = new ConfigWorkspace();
        var l = levels(ws);

        void Check(EffectiveSettings settings, T expected, SettingSource source, string? file)
        {
            var value = select(settings);
            Assert.AreEqual(show(expected), show(value.Value), $"value at level {source}");
            Assert.AreEqual(source, value.Source);
            Assert.AreEqual(file, value.Location?.FilePath, $"location at level {source}");
        }

        Check(ws.Resolve(), l.Default, SettingSource.Default, null);
        ws.WriteUser(l.UserYaml);
        Check(ws.Resolve(), l.User, SettingSource.User, ws.UserFile);
        ws.WriteRepo(l.RepoYaml);
        Check(ws.Resolve(), l.Repo, SettingSource.Repo, ws.RepoFile);
        ws.Environment[l.EnvName] = l.EnvValue;
        Check(ws.Resolve(), l.Env, SettingSource.Environment, null);
        Check(ws.Resolve(l.Explicit), l.ExplicitValue, SettingSource.Explicit, null);
    }

    private static string Join<T>(ImmutableArray<T> values) => string.Join("|", values);

    [TestMethod]
    public void AFileRewrittenBetweenLoadsIsReadAsItIsNow()
    {
        using var ws = new ConfigWorkspace();
        ws.WriteRepo("approvalPolicy: never");
        Assert.AreEqual(ApprovalPolicy.Never, ws.Resolve().ApprovalPolicy.Value);
        Assert.AreEqual(ApprovalPolicy.Never, ws.Resolve().ApprovalPolicy.Value, "loaded again, unchanged");

        // Rewritten within the same second: the content decides, not the time stamp.
        ws.WriteRepo("approvalPolicy: on-request");
        var settings = ws.Resolve();
        Assert.AreEqual(ApprovalPolicy.OnRequest, settings.ApprovalPolicy.Value);
        Assert.AreEqual(ws.RepoFile, settings.ApprovalPolicy.Location?.FilePath);

        File.Delete(ws.RepoFile);
        Assert.AreEqual(SettingSource.Default, ws.Resolve().ApprovalPolicy.Source, "a removed file no longer counts");
    }

    [TestMethod]
    public void ApprovalPolicyFollowsThePrecedenceLadder() =>
        AssertLadder(
            s => s.ApprovalPolicy,
            _ => (ApprovalPolicy.OnFailure,
                "approvalPolicy: never", ApprovalPolicy.Never,
                "approvalPolicy: untrusted", ApprovalPolicy.Untrusted,
                ConfigurationEnvironment.ApprovalPolicy, "on-request", ApprovalPolicy.OnRequest,
                new ExplicitSettings { ApprovalPolicy = ApprovalPolicy.Never }, ApprovalPolicy.Never));

    [TestMethod]
    public void SandboxModeFollowsThePrecedenceLadder() =>
        AssertLadder(
            s => s.SandboxMode,
            _ => (SandboxMode.WorkspaceWrite,
                "sandbox:\n  mode: read-only", SandboxMode.ReadOnly,
                "sandbox:\n  mode: danger-full-access", SandboxMode.DangerFullAccess,
                ConfigurationEnvironment.SandboxMode, "read-only", SandboxMode.ReadOnly,
                new ExplicitSettings { SandboxMode = SandboxMode.WorkspaceWrite }, SandboxMode.WorkspaceWrite));

    [TestMethod]
    public void NetworkFollowsThePrecedenceLadder() =>
        AssertLadder(
            s => s.Network,
            _ => (false,
                "sandbox:\n  network: true", true,
                "sandbox:\n  network: false", false,
                ConfigurationEnvironment.Network, "1", true,
                new ExplicitSettings { Network = false }, false));

    [TestMethod]
    public void MaxAttemptsFollowsThePrecedenceLadder() =>
        AssertLadder(
            s => s.MaxAttempts,
            _ => (3,
                "retries:\n  maxAttempts: 5", 5,
                "retries:\n  maxAttempts: 1", 1,
                ConfigurationEnvironment.MaxAttempts, "7", 7,
                new ExplicitSettings { MaxAttempts = 20 }, 20));

    [TestMethod]
    public void TaskIdFollowsThePrecedenceLadder() =>
        AssertLadder(
            s => s.TaskId,
            _ => ("default",
                "taskId: from-user", "from-user",
                "taskId: from-repo", "from-repo",
                ConfigurationEnvironment.TaskId, "from-env", "from-env",
                new ExplicitSettings { TaskId = "from-door" }, "from-door"));

    [TestMethod]
    public void WritableRootsFollowThePrecedenceLadderAndEachLevelReplacesTheList() =>
        AssertLadder(
            s => s.WritableRoots,
            ws => ([],
                "sandbox:\n  writableRoots: [~/.nuget/packages, ~/.cache]", [Path.Combine(ws.Home, ".nuget", "packages"), Path.Combine(ws.Home, ".cache")],
                "sandbox:\n  writableRoots: [cache]", [Path.Combine(ws.Root, "cache")],
                ConfigurationEnvironment.WritableRoots, "/var/a::/var/b", ["/var/a", "/var/b"],
                new ExplicitSettings { WritableRoots = ["obj"] }, [Path.Combine(ws.Root, "obj")]),
            Join);

    [TestMethod]
    public void OutputLimitsFollowThePrecedenceLadder()
    {
        AssertLadder(
            s => s.EventBudgetBytes,
            _ => (1024L * 1024,
                "output:\n  eventBudgetBytes: 10", 10L,
                "output:\n  eventBudgetBytes: 0", 0L,
                ConfigurationEnvironment.EventBudgetBytes, "30", 30L,
                new ExplicitSettings { EventBudgetBytes = 40 }, 40L));
        AssertLadder(
            s => s.CaptureBytes,
            _ => (64 * 1024,
                "output:\n  captureBytes: 10", 10,
                "output:\n  captureBytes: 20", 20,
                ConfigurationEnvironment.CaptureBytes, "30", 30,
                new ExplicitSettings { CaptureBytes = 40 }, 40));
    }

    [TestMethod]
    public void RunsRootFollowsThePrecedenceLadderResolvingEachAgainstItsOwnBase() =>
        AssertLadder(
            s => s.RunsRoot,
            ws => (Path.Combine(ws.Root, ".runs"),
                "runsRoot: runs", Path.Combine(ws.Home, ".config", "orchestrator", "runs"),
                "runsRoot: out/runs", Path.Combine(ws.Root, "out", "runs"),
                ConfigurationEnvironment.RunsRoot, "env-runs", Path.Combine(ws.Root, "env-runs"),
                new ExplicitSettings { RunsRoot = "/srv/runs" }, "/srv/runs"));

    [TestMethod]
    public void DefaultsApplyWhenNothingIsConfigured()
    {
        using var ws = new ConfigWorkspace();
        var loaded = ws.Load();
        var settings = loaded.Resolve(ExplicitSettings.None);

        Assert.IsNull(loaded.Repo);
        Assert.IsNull(loaded.User);
        Assert.AreEqual(ws.RepoFile, loaded.RepoConfigPath);
        Assert.AreEqual(ws.UserFile, loaded.UserConfigPath);
        Assert.AreEqual("default", settings.TaskId.Value);
        Assert.AreEqual(Path.Combine(ws.Root, ".runs"), settings.RunsRoot.Value);
        Assert.AreEqual(ApprovalPolicy.OnFailure, settings.ApprovalPolicy.Value);
        Assert.AreEqual(SandboxMode.WorkspaceWrite, settings.SandboxMode.Value);
        Assert.IsFalse(settings.Network.Value);
        Assert.IsEmpty(settings.WritableRoots.Value);
        Assert.IsTrue(settings.ProtectGit.Value);
        Assert.AreEqual(3, settings.MaxAttempts.Value);
        Assert.AreEqual(250, settings.InitialDelayMs.Value);
        Assert.AreEqual(10000, settings.MaxDelayMs.Value);
        Assert.IsEmpty(settings.TransientExitCodes.Value);
        Assert.IsEmpty(settings.TransientOutputPatterns.Value);
        Assert.IsEmpty(settings.ApprovalRules);
        Assert.IsEmpty(settings.SafeCommands.Value);
        Assert.AreEqual(Path.Combine(ws.Root, ".runs", "approvals.jsonl"), settings.ApprovalCacheFile.Value);
        Assert.IsEmpty(settings.SecretEnvironmentNames);
        Assert.IsEmpty(settings.SecretPatterns);
        Assert.AreEqual(1048576L, settings.EventBudgetBytes.Value);
        Assert.AreEqual(65536, settings.CaptureBytes.Value);
        SettingSource[] sources =
        [
            settings.TaskId.Source, settings.RunsRoot.Source, settings.ApprovalPolicy.Source, settings.SandboxMode.Source,
            settings.Network.Source, settings.WritableRoots.Source, settings.ProtectGit.Source, settings.MaxAttempts.Source,
            settings.InitialDelayMs.Source, settings.MaxDelayMs.Source, settings.TransientExitCodes.Source,
            settings.TransientOutputPatterns.Source, settings.SafeCommands.Source, settings.ApprovalCacheFile.Source,
            settings.EventBudgetBytes.Source, settings.CaptureBytes.Source,
        ];
        CollectionAssert.AreEqual(Enumerable.Repeat(SettingSource.Default, sources.Length).ToArray(), sources);
    }

    [TestMethod]
    public void RepoFileIsFoundAtTheGitRootFromASubdirectory()
    {
        using var ws = new ConfigWorkspace();
        ws.WriteRepo("taskId: at-root");
        string sub = Directory.CreateDirectory(Path.Combine(ws.Root, "src", "app")).FullName;

        var loaded = ws.Load(workingDirectory: sub);
        var settings = loaded.Resolve(ExplicitSettings.None);

        Assert.AreEqual(ws.Root, loaded.WorkspaceRoot);
        Assert.AreEqual("at-root", settings.TaskId.Value);
        Assert.AreEqual(Path.Combine(ws.Root, ".runs"), settings.RunsRoot.Value);
    }

    [TestMethod]
    public void ApprovalCacheFileDefaultsBesideTheEffectiveRunsRoot()
    {
        using var ws = new ConfigWorkspace();
        ws.WriteRepo("runsRoot: out");

        var settings = ws.Resolve();

        Assert.AreEqual(Path.Combine(ws.Root, "out", "approvals.jsonl"), settings.ApprovalCacheFile.Value);
        Assert.AreEqual(SettingSource.Default, settings.ApprovalCacheFile.Source);
    }

    [TestMethod]
    public void ListsAreReplacedByTheHighestLevelThatSetsThemNotMerged()
    {
        using var ws = new ConfigWorkspace();
        ws.WriteUser("""
            sandbox:
              writableRoots: [/user/a, /user/b]
            retries:
              transientExitCodes: [75]
              transientOutputPatterns: [user-pattern]
            approvals:
              safeCommands: [make -n]
            """);
        ws.WriteRepo("""
            sandbox:
              writableRoots: []
            retries:
              transientExitCodes: [111]
            approvals:
              safeCommands: [[terraform, plan]]
            """);

        var settings = ws.Resolve();

        Assert.IsEmpty(settings.WritableRoots.Value);
        Assert.AreEqual(SettingSource.Repo, settings.WritableRoots.Source);
        CollectionAssert.AreEqual(new[] { 111 }, settings.TransientExitCodes.Value.ToArray());
        Assert.AreEqual(SettingSource.Repo, settings.TransientExitCodes.Source);
        CollectionAssert.AreEqual(new[] { "user-pattern" }, settings.TransientOutputPatterns.Value.ToArray());
        Assert.AreEqual(SettingSource.User, settings.TransientOutputPatterns.Source);
        var safe = Assert.ContainsSingle(settings.SafeCommands.Value);
        CollectionAssert.AreEqual(new[] { "terraform", "plan" }, safe.ToArray());
        Assert.AreEqual(SettingSource.Repo, settings.SafeCommands.Source);
    }

    [TestMethod]
    public void ApprovalRulesAndSecretsAreTheUnionOfRepoAndUser()
    {
        using var ws = new ConfigWorkspace();
        ws.WriteUser("""
            approvals:
              rules:
                - prefix: [npm, ci]
                  action: escalate
            secrets:
              env: [SHARED_NAME, USER_ONLY]
              patterns: ["user-[0-9]+"]
            """);
        ws.WriteRepo("""
            approvals:
              rules:
                - prefix: [dotnet, restore]
                  action: escalate
            secrets:
              env: [SHARED_NAME]
              patterns: ["repo-[0-9]+"]
            """);

        var settings = ws.Resolve(new ExplicitSettings { ApprovalPolicy = ApprovalPolicy.Untrusted });

        Assert.HasCount(2, settings.ApprovalRules);
        Assert.AreEqual("dotnet restore", string.Join(" ", settings.ApprovalRules[0].Value.Prefix));
        Assert.AreEqual(SettingSource.Repo, settings.ApprovalRules[0].Source);
        Assert.AreEqual(new ConfigLocation(ws.RepoFile, 3, 7), settings.ApprovalRules[0].Location);
        Assert.AreEqual("npm ci", string.Join(" ", settings.ApprovalRules[1].Value.Prefix));
        Assert.AreEqual(SettingSource.User, settings.ApprovalRules[1].Source);
        Assert.AreEqual(new ConfigLocation(ws.UserFile, 3, 7), settings.ApprovalRules[1].Location);

        CollectionAssert.AreEqual(new[] { "SHARED_NAME", "USER_ONLY" }, settings.SecretEnvironmentNames.Select(v => v.Value).ToArray());
        CollectionAssert.AreEqual(new[] { SettingSource.Repo, SettingSource.User }, settings.SecretEnvironmentNames.Select(v => v.Source).ToArray());
        CollectionAssert.AreEqual(new[] { "repo-[0-9]+", "user-[0-9]+" }, settings.SecretPatterns.Select(v => v.Value).ToArray());
    }

    [TestMethod]
    public void OrchestratorConfigReplacesTheRepoFile()
    {
        using var ws = new ConfigWorkspace();
        ws.WriteRepo("taskId: from-repo-file\nretries:\n  maxAttempts: 5\n");
        string ci = ws.Write(Path.Combine("ci", "orchestrator.ci.yaml"), "taskId: from-ci\nrunsRoot: ../ci-runs\n");
        ws.Environment[ConfigurationEnvironment.ConfigFile] = "ci/orchestrator.ci.yaml";

        var loaded = ws.Load();
        var settings = loaded.Resolve(ExplicitSettings.None);

        Assert.AreEqual(ci, loaded.RepoConfigPath);
        Assert.AreEqual(ci, loaded.Repo!.Path);
        Assert.AreEqual("from-ci", settings.TaskId.Value);
        Assert.AreEqual(SettingSource.Repo, settings.TaskId.Source);
        Assert.AreEqual(new ConfigLocation(ci, 1, 9), settings.TaskId.Location);
        Assert.AreEqual(Path.Combine(ws.Root, "ci-runs"), settings.RunsRoot.Value);
        Assert.AreEqual(3, settings.MaxAttempts.Value, "the replaced repo file's maxAttempts must not leak through");
        Assert.AreEqual(SettingSource.Default, settings.MaxAttempts.Source);
    }

    [TestMethod]
    public void ExplicitConfigPathBeatsOrchestratorConfig()
    {
        using var ws = new ConfigWorkspace();
        ws.Write("env.yaml", "taskId: from-env-file");
        string chosen = ws.Write("door.yaml", "taskId: from-door-file");
        ws.Environment[ConfigurationEnvironment.ConfigFile] = "env.yaml";

        var settings = ws.Load(explicitConfigPath: "door.yaml").Resolve(ExplicitSettings.None);

        Assert.AreEqual("from-door-file", settings.TaskId.Value);
        Assert.AreEqual(chosen, settings.TaskId.Location!.FilePath);
    }

    [TestMethod]
    public void NamedConfigFileThatDoesNotExistIsAnError()
    {
        using var ws = new ConfigWorkspace();
        ws.Environment[ConfigurationEnvironment.ConfigFile] = "missing.yaml";

        var fromEnvironment = Assert.ThrowsExactly<ConfigurationException>(() => ws.Load());
        Assert.AreEqual(ConfigurationEnvironment.ConfigFile, fromEnvironment.EnvironmentVariable);
        Assert.Contains(Path.Combine(ws.Root, "missing.yaml"), fromEnvironment.Message);

        var fromArgument = Assert.ThrowsExactly<ConfigurationException>(() => ws.Load(explicitConfigPath: "/nowhere/orchestrator.yaml"));
        Assert.AreEqual("/nowhere/orchestrator.yaml", fromArgument.FilePath);
    }

    [TestMethod]
    public void UserFileFollowsXdgConfigHomeAndIgnoresARelativeOne()
    {
        using var ws = new ConfigWorkspace();
        string xdgFile = ws.Write(ws.TempPath("xdg", "orchestrator", "config.yaml"), "taskId: from-xdg");
        ws.WriteUser("taskId: from-home-config");

        ws.Environment[ConfigurationEnvironment.XdgConfigHome] = ws.TempPath("xdg");
        var viaXdg = ws.Load();
        Assert.AreEqual(xdgFile, viaXdg.User!.Path);
        Assert.AreEqual("from-xdg", viaXdg.Resolve(ExplicitSettings.None).TaskId.Value);

        ws.Environment[ConfigurationEnvironment.XdgConfigHome] = "relative/xdg";
        Assert.AreEqual("from-home-config", ws.Resolve().TaskId.Value);
    }

    [TestMethod]
    public void WithoutHomeOrXdgThereIsNoUserFile()
    {
        using var ws = new ConfigWorkspace();
        ws.Environment.Remove(ConfigurationEnvironment.Home);

        var loaded = ws.Load();

        Assert.IsNull(loaded.UserConfigPath);
        Assert.IsNull(loaded.User);
        Assert.IsNull(loaded.HomeDirectory);
    }

    [TestMethod]
    public void SameFileAsRepoAndUserCountsOnce()
    {
        using var ws = new ConfigWorkspace();
        ws.WriteUser("approvals:\n  rules:\n    - prefix: make\n      action: run\n");
        ws.Environment[ConfigurationEnvironment.ConfigFile] = ws.UserFile;

        var loaded = ws.Load();

        Assert.IsNull(loaded.User);
        Assert.ContainsSingle(loaded.Resolve(ExplicitSettings.None).ApprovalRules);
    }

    [TestMethod]
    public void ExplicitEmptyStringsMeanNotSet()
    {
        using var ws = new ConfigWorkspace();
        ws.WriteRepo("taskId: from-repo\nrunsRoot: repo-runs\n");

        var settings = ws.Resolve(new ExplicitSettings { TaskId = "", RunsRoot = "", ApprovalCacheFile = "" });

        Assert.AreEqual("from-repo", settings.TaskId.Value);
        Assert.AreEqual(Path.Combine(ws.Root, "repo-runs"), settings.RunsRoot.Value);
    }

    [TestMethod]
    public void InvalidExplicitValuesNameTheSetting()
    {
        using var ws = new ConfigWorkspace();
        var loaded = ws.Load();

        var attempts = Assert.ThrowsExactly<ConfigurationException>(() => loaded.Resolve(new ExplicitSettings { MaxAttempts = 0 }));
        Assert.AreEqual("explicit setting retries.maxAttempts: must be between 1 and 20, got 0", attempts.Message);
        Assert.AreEqual("retries.maxAttempts", attempts.Setting);

        var taskId = Assert.ThrowsExactly<ConfigurationException>(() => loaded.Resolve(new ExplicitSettings { TaskId = "a b" }));
        Assert.Contains("invalid task id 'a b'", taskId.Message);

        var pattern = Assert.ThrowsExactly<ConfigurationException>(() => loaded.Resolve(new ExplicitSettings { TransientOutputPatterns = ["("] }));
        Assert.AreEqual("retries.transientOutputPatterns", pattern.Setting);

        var policy = Assert.ThrowsExactly<ConfigurationException>(() => loaded.Resolve(new ExplicitSettings { ApprovalPolicy = (ApprovalPolicy)42 }));
        Assert.Contains("untrusted, on-failure, on-request, never", policy.Message);
    }
}
