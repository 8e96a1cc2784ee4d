using System.Text.RegularExpressions;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Notifications;
using Orchestrator.Core.Schemas;
using Orchestrator.Core.Tests.Configuration;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Notifications;

/// <summary>The configuration file's <c>notify:</c> list: read with locations, validated when loaded, replaced not merged.</summary>
[TestClass]
public sealed partial class NotificationConfigurationTests
{
    private static readonly Lazy<JsonSchemaValidator> Schema = new(() =>
        JsonSchemaValidator.LoadFromDirectory(RunFiles.SchemaDirectory, "config.json"));

    private const string RepoNotify = """
        taskId: payments
        notify:
          - "https://user:pass@hooks.example.com/build?token=abc"
          - "command:notify-send 'Build finished'"
        """;

    [TestMethod]
    public void TheListIsReadAsWrittenWithItsLocation()
    {
        using var ws = new ConfigWorkspace();
        string path = ws.WriteRepo(RepoNotify);

        var notify = ConfigurationLoader.ReadFile(path, ws.Home)!.Config.Notify!;

        CollectionAssert.AreEqual(
            new[] { "https://user:pass@hooks.example.com/build?token=abc", "command:notify-send 'Build finished'" },
            notify.Value.ToArray());
        Assert.AreEqual(new ConfigLocation(path, 3, 3), notify.Location);
    }

    [TestMethod]
    public void TheRepoListBeatsTheUserListWhole()
    {
        using var ws = new ConfigWorkspace();
        string repo = ws.WriteRepo(RepoNotify);
        ws.WriteUser("notify: [\"command:logger from-user\", \"https://user.example.com/\"]\n");

        var notify = ws.Resolve().Notify;

        Assert.AreEqual(SettingSource.Repo, notify.Source);
        Assert.AreEqual(new ConfigLocation(repo, 3, 3), notify.Location);
        Assert.HasCount(2, notify.Value);
        Assert.IsFalse(notify.Value.Any(t => t.Contains("from-user", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void TheUserListAppliesWhenTheRepoSetsNone()
    {
        using var ws = new ConfigWorkspace();
        ws.WriteRepo("notify:\n");
        string user = ws.WriteUser("notify: [\"command:logger from-user\"]\n");

        var notify = ws.Resolve().Notify;

        Assert.AreEqual(SettingSource.User, notify.Source);
        Assert.AreEqual(new ConfigLocation(user, 1, 9), notify.Location);
        CollectionAssert.AreEqual(new[] { "command:logger from-user" }, notify.Value.ToArray());
    }

    [TestMethod]
    public void AnEmptyRepoListTurnsTheUsersOff()
    {
        using var ws = new ConfigWorkspace();
        ws.WriteRepo("notify: []\n");
        ws.WriteUser("notify: [\"command:logger from-user\"]\n");

        var notify = ws.Resolve().Notify;

        Assert.AreEqual(SettingSource.Repo, notify.Source);
        Assert.IsEmpty(notify.Value);
    }

    [TestMethod]
    public void NoListIsTheEmptyDefault()
    {
        using var ws = new ConfigWorkspace();

        var notify = ws.Resolve().Notify;

        Assert.AreEqual(SettingSource.Default, notify.Source);
        Assert.IsEmpty(notify.Value);
        Assert.IsNull(notify.Location);
    }

    [TestMethod]
    public void TheConfiguredListFeedsTheResolutionWhenNoDoorOrVariableSetsOne()
    {
        using var ws = new ConfigWorkspace();
        ws.WriteRepo(RepoNotify);
        var effective = ws.Resolve();

        var (targets, source) = NotificationSettings.Resolve([], "msbuild", name => ws.Environment.GetValueOrDefault(name), effective.Notify.Value);

        Assert.AreEqual(NotificationSource.Config, source);
        CollectionAssert.AreEqual(
            new[] { "https://***@hooks.example.com/build?token=***", "command:notify-send 'Build finished'" },
            targets.Select(t => t.Redacted).ToArray());

        ws.Environment[NotificationSettings.EnvironmentVariable] = "command:logger from-env";
        (targets, source) = NotificationSettings.Resolve([], "msbuild", name => ws.Environment.GetValueOrDefault(name), effective.Notify.Value);
        Assert.AreEqual(NotificationSource.Environment, source);
        Assert.ContainsSingle(targets);
    }

    [TestMethod]
    [DataRow("notify:\n  - \"https://hooks.example.com/ok\"\n  - \"ftp://deploy:hunter2@files.example.com/x\"\n", 3, 5,
        "'notify[1]': invalid notification target 'ftp://***@files.example.com/x': unknown scheme 'ftp' (expected http://, https:// or command:<program> [args...])")]
    [DataRow("notify: [\"\"]\n", 1, 10, "'notify[0]': invalid notification target '': the target is empty (expected an http:// or https:// URL, or command:<program> [args...])")]
    [DataRow("notify: [\"command:say 'unclosed\"]\n", 1, 10, "'notify[0]': invalid notification target 'command:say 'unclosed': the quote (') at position 5 is never closed")]
    [DataRow("notify:\n  - command: notify-send\n", 2, 5, "'notify[0]': expected a notification target, got a mapping; write \"command:<program> [args...]\" in quotes, with no space after 'command:'")]
    [DataRow("notify: https://hooks.example.com/\n", 1, 9, "expected a list of notification targets for 'notify', got the string 'https://hooks.example.com/'")]
    [DataRow("notify: [42]\n", 1, 10, "'notify[0]': invalid notification target '42': not a notification target (expected an http:// or https:// URL, or command:<program> [args...])")]
    public void InvalidTargetsAreErrorsAtTheirLineAndColumn(string yaml, int line, int column, string reason)
    {
        using var ws = new ConfigWorkspace();
        string path = ws.WriteRepo(yaml);

        var error = Assert.ThrowsExactly<ConfigurationException>(() => ConfigurationLoader.ReadFile(path, ws.Home));

        Assert.AreEqual(path, error.FilePath);
        Assert.AreEqual(line, error.Line);
        Assert.AreEqual(column, error.Column);
        Assert.AreEqual(reason, error.Reason);
        Assert.AreEqual($"{path}:{line}:{column}: {reason}", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [TestMethod]
    public void TheSchemaAcceptsNotifyLists()
    {
        foreach (string yaml in new[] { RepoNotify, "notify:\n", "notify: []\n", "notify: [\"HTTP://x.example.com\", \"command:  logger -t ci\"]\n" })
        {
            var result = Schema.Value.Validate(YamlToJson.Convert(yaml));
            Assert.IsTrue(result.IsValid, $"{result}\n{yaml}");
        }
    }

    [TestMethod]
    [DataRow("notify: [\"ftp://x.example.com/\"]\n", "/notify/0")]
    [DataRow("notify: [\"\"]\n", "/notify/0")]
    [DataRow("notify: [\"command:\"]\n", "/notify/0")]
    [DataRow("notify: [\"https:///no-host\"]\n", "/notify/0")]
    [DataRow("notify: \"https://x.example.com/\"\n", "/notify")]
    public void TheSchemaRejectsWhatTheLoaderRejects(string yaml, string instancePath)
    {
        var result = Schema.Value.Validate(YamlToJson.Convert(yaml));

        Assert.IsFalse(result.IsValid);
        Assert.IsTrue(result.Errors.Any(e => e.InstancePath == instancePath), result.ToString());
        using var ws = new ConfigWorkspace();
        Assert.ThrowsExactly<ConfigurationException>(() => ConfigurationLoader.ReadFile(ws.WriteRepo(yaml), ws.Home));
    }

    /// <summary>Every yaml example of the notifications guide loads, passes the schema and resolves to valid targets.</summary>
    [TestMethod]
    public void GuideExamplesLoadAndValidate()
    {
        string guide = File.ReadAllText(FindRepositoryFile("docs", "notifications.md"));
        var blocks = YamlBlock().Matches(guide).Select(m => m.Groups["yaml"].Value).ToList();
        Assert.IsGreaterThanOrEqualTo(3, blocks.Count);

        using var ws = new ConfigWorkspace();
        foreach (string yaml in blocks)
        {
            var notify = ConfigurationLoader.ReadFile(ws.WriteRepo(yaml), ws.Home)!.Config.Notify!;
            var result = Schema.Value.Validate(YamlToJson.Convert(yaml));
            Assert.IsTrue(result.IsValid, $"{result}\n{yaml}");
            Assert.AreEqual(NotificationSource.Config, NotificationSettings.Resolve([], "cli", _ => null, notify.Value).Source);
        }
    }

    private static string FindRepositoryFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine([dir.FullName, .. parts]);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new AssertFailedException($"{Path.Combine(parts)} not found above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^```yaml\n(?<yaml>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex YamlBlock();
}
