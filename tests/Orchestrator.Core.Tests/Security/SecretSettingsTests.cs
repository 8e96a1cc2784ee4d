using System.Text;
using Orchestrator.Core.Security;

namespace Orchestrator.Core.Tests.Security;

[TestClass]
public sealed class SecretSettingsTests
{
    private static string[] Values(SecretSet set) => [.. set.Literals.Select(l => Encoding.UTF8.GetString(l))];

    private static KeyValuePair<string, string>[] Env(params (string Name, string Value)[] vars) =>
        [.. vars.Select(v => new KeyValuePair<string, string>(v.Name, v.Value))];

    [TestMethod]
    public void TheSameEnvironmentAndSettingsGiveTheSameSecrets()
    {
        var settings = new SecretSettings(["DEPLOY_URL"], [], []);
        var first = settings.For(Env(("API_TOKEN", "tok-111111"), ("DEPLOY_URL", "https://u:p@h")));
        var again = new SecretSettings(["DEPLOY_URL"], [], []).For(Env(("API_TOKEN", "tok-111111"), ("DEPLOY_URL", "https://u:p@h")));

        CollectionAssert.AreEquivalent(new[] { "tok-111111", "https://u:p@h" }, Values(first));
        CollectionAssert.AreEquivalent(Values(first), Values(again));
    }

    [TestMethod]
    public void AChangedValueNameOrSettingIsNeverAnsweredWithTheLastSecrets()
    {
        var settings = SecretSettings.Default;
        CollectionAssert.AreEqual(new[] { "tok-111111" }, Values(settings.For(Env(("API_TOKEN", "tok-111111"), ("PATH", "/bin")))));

        // Same names, a new value: the new value is the secret, the old one no longer is.
        CollectionAssert.AreEqual(new[] { "tok-222222" }, Values(settings.For(Env(("API_TOKEN", "tok-222222"), ("PATH", "/bin")))));

        // One more variable.
        CollectionAssert.AreEquivalent(new[] { "tok-222222", "pw-333333" },
            Values(settings.For(Env(("API_TOKEN", "tok-222222"), ("PATH", "/bin"), ("DB_PASSWORD", "pw-333333")))));

        // The same environment under other settings: a configured name and a literal value count too.
        var configured = new SecretSettings(["PATH"], [], ["literal-4444"]);
        CollectionAssert.AreEquivalent(new[] { "tok-222222", "/bin", "literal-4444" },
            Values(configured.For(Env(("API_TOKEN", "tok-222222"), ("PATH", "/bin")))));
        CollectionAssert.AreEqual(new[] { "tok-222222" }, Values(settings.For(Env(("API_TOKEN", "tok-222222"), ("PATH", "/bin")))));

        // A pattern is part of the settings as well.
        var patterned = new SecretSettings([], ["ghp_[A-Za-z0-9]+"], []);
        Assert.HasCount(1, patterned.For(Env(("API_TOKEN", "tok-222222"), ("PATH", "/bin"))).Patterns);
        Assert.IsEmpty(settings.For(Env(("API_TOKEN", "tok-222222"), ("PATH", "/bin"))).Patterns);
    }
}
