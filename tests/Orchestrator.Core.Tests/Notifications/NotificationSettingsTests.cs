using Orchestrator.Core.Notifications;

namespace Orchestrator.Core.Tests.Notifications;

[TestClass]
public sealed class NotificationSettingsTests
{
    private const string Door = "https://door.example.com/hook";
    private const string Env = "https://env.example.com/hook";
    private const string Config = "https://config.example.com/hook";

    private static NotificationResolution Resolve(string[] door, string? env, string[] config, string doorSource = "cli") =>
        NotificationSettings.Resolve(door, doorSource, name => name == NotificationSettings.EnvironmentVariable ? env : null, config);

    [TestMethod]
    //       door set  env set  config set  -> winner
    [DataRow(true, true, true, "cli")]
    [DataRow(true, false, true, "cli")]
    [DataRow(true, true, false, "cli")]
    [DataRow(true, false, false, "cli")]
    [DataRow(false, true, true, "environment")]
    [DataRow(false, true, false, "environment")]
    [DataRow(false, false, true, "config")]
    [DataRow(false, false, false, "none")]
    public void TheFirstSourceWithAnyTargetWins(bool door, bool env, bool config, string expected)
    {
        var (targets, source) = Resolve(door ? [Door] : [], env ? Env : null, config ? [Config] : []);

        Assert.AreEqual(expected, Orchestrator.Core.Runs.WireNames.Of(source));
        string[] expectedTargets = expected switch
        {
            "cli" => [Door],
            "environment" => [Env],
            "config" => [Config],
            _ => [],
        };
        CollectionAssert.AreEqual(expectedTargets, targets.Select(t => t.Redacted).ToArray());
    }

    [TestMethod]
    public void TheWinningListIsTakenWholeAndNeverMerged()
    {
        var (targets, source) = Resolve([Door, "command:notify-send done"], $"{Env},command:logger env", [Config, "command:logger config"]);

        Assert.AreEqual(NotificationSource.Cli, source);
        CollectionAssert.AreEqual(new[] { Door, "command:notify-send done" }, targets.Select(t => t.Redacted).ToArray());

        (targets, source) = Resolve([], $"{Env}, command:logger env", [Config, "command:logger config"]);
        Assert.AreEqual(NotificationSource.Environment, source);
        CollectionAssert.AreEqual(new[] { Env, "command:logger env" }, targets.Select(t => t.Redacted).ToArray());
    }

    [TestMethod]
    [DataRow("cli", NotificationSource.Cli)]
    [DataRow("msbuild", NotificationSource.MSBuild)]
    [DataRow("cake", NotificationSource.Cake)]
    [DataRow("sdk", NotificationSource.Sdk)]
    [DataRow("MSBuild", NotificationSource.MSBuild)]
    public void TheDoorNamesItselfAsTheSource(string doorSource, NotificationSource expected)
    {
        Assert.AreEqual(expected, Resolve([Door], Env, [], doorSource).Source);
        Assert.AreEqual(NotificationSource.Environment, Resolve([], Env, [], doorSource).Source);
    }

    [TestMethod]
    public void AnUnknownDoorIsAProgrammingError()
    {
        Assert.ThrowsExactly<ArgumentException>(() => Resolve([Door], null, [], "jenkins"));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    public void AnEmptyVariableCountsAsUnset(string value)
    {
        Assert.AreEqual(NotificationSource.Config, Resolve([], value, [Config]).Source);
    }

    [TestMethod]
    public void TheVariableSplitsOnCommasOutsideQuotes()
    {
        var (targets, _) = Resolve([], "command:notify-send -u low 'Build, finished' \"a,b\" , https://x.example.com/?a=1", []);

        Assert.HasCount(2, targets);
        CollectionAssert.AreEqual(new[] { "notify-send", "-u", "low", "Build, finished", "a,b" }, targets[0].Arguments.ToArray());
        Assert.AreEqual("https://x.example.com/?a=1", targets[1].Redacted);
    }

    [TestMethod]
    public void AnInvalidTargetOfTheWinningSourceIsAnErrorNotAFallThrough()
    {
        var error = Assert.ThrowsExactly<NotificationConfigurationException>(() => Resolve([Door, "slack://builds"], Env, [Config]));

        Assert.AreEqual("--notify (target 2 of 2): invalid notification target 'slack://builds': unknown scheme 'slack' (expected http://, https:// or command:<program> [args...])", error.Message);
    }

    [TestMethod]
    [DataRow("msbuild", "property OrchestratorNotify")]
    [DataRow("cake", "Cake notify setting")]
    public void DoorErrorsNameTheDoorsOption(string door, string origin)
    {
        var error = Assert.ThrowsExactly<NotificationConfigurationException>(() => Resolve(["nope"], null, [], door));

        Assert.AreEqual(origin, error.Origin);
    }

    [TestMethod]
    public void AnEmptyEntryInTheVariableIsNamedByPosition()
    {
        var error = Assert.ThrowsExactly<NotificationConfigurationException>(() => Resolve([], $"{Env},,{Config}", []));

        Assert.StartsWith("environment variable ORCHESTRATOR_NOTIFY (target 2 of 3): invalid notification target '': the target is empty", error.Message);
    }

    [TestMethod]
    public void ALosingSourceIsNotValidated()
    {
        var (targets, source) = Resolve([Door], "not-a-target", ["also not"]);

        Assert.AreEqual(NotificationSource.Cli, source);
        Assert.ContainsSingle(targets);
    }

    [TestMethod]
    public void InvalidConfigTargetsAreRejectedWithTheirOrigin()
    {
        var error = Assert.ThrowsExactly<NotificationConfigurationException>(() => Resolve([], null, ["command:"]));

        Assert.AreEqual("configuration 'notify'", error.Origin);
    }
}
