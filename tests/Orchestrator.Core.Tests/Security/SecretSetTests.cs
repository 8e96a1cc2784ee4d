using System.Text;
using Orchestrator.Core.Security;

namespace Orchestrator.Core.Tests.Security;

[TestClass]
public sealed class SecretSetTests
{
    private static readonly Dictionary<string, string?> Environment = new()
    {
        ["API_TOKEN"] = "tok-123456",
        ["db_password"] = "hunter22",
        ["MY_KEY"] = "k3y-value",
        ["ClientSecret"] = "s3cr3t!",
        ["PATH"] = "/usr/bin:/bin",
        ["HOME"] = "/root",
        ["DATABASE_URL"] = "postgres://u:p@db/app",
        ["SHORT_TOKEN"] = "abc",
        ["UNSET_TOKEN"] = null,
        ["COPY_OF_TOKEN"] = "tok-123456",
    };

    private static string[] Values(SecretSet set) => [.. set.Literals.Select(l => Encoding.UTF8.GetString(l))];

    [TestMethod]
    public void ValuesOfSecretLookingNamesAreSecret()
    {
        var set = SecretSet.Create(Environment);

        CollectionAssert.AreEquivalent(new[] { "tok-123456", "hunter22", "k3y-value", "s3cr3t!" }, Values(set));
        Assert.IsFalse(Values(set).Contains("/usr/bin:/bin"), "PATH is not a secret");
    }

    [TestMethod]
    public void ConfiguredNamesAndValuesAreAddedAndDuplicatesRemoved()
    {
        var set = SecretSet.Create(Environment, secretNames: ["database_url"], extraValues: ["hunter22", "extra-value"]);

        CollectionAssert.AreEquivalent(
            new[] { "tok-123456", "hunter22", "k3y-value", "s3cr3t!", "postgres://u:p@db/app", "extra-value" },
            Values(set));
    }

    [TestMethod]
    public void ValuesShorterThanFourCharactersAreIgnored()
    {
        var set = SecretSet.Create(new Dictionary<string, string?> { ["A_TOKEN"] = "abc", ["B_TOKEN"] = "abcd", ["C_TOKEN"] = "" }, extraValues: ["xyz"]);

        CollectionAssert.AreEqual(new[] { "abcd" }, Values(set));
        Assert.AreEqual("abc xyz", set.RedactText("abc xyz"));
    }

    [TestMethod]
    public void LiteralsAreUtf8LongestFirst()
    {
        var set = Redaction.Literals("abcd", "pässwörd", "abcdefgh", "zzzz");

        CollectionAssert.AreEqual(new[] { "pässwörd", "abcdefgh", "abcd", "zzzz" }, Values(set));
        Assert.AreEqual(10, set.LongestLiteralBytes);
        CollectionAssert.AreEqual(Encoding.UTF8.GetBytes("pässwörd"), set.Literals[0]);
    }

    [TestMethod]
    public void PatternsCompileWithATimeoutAndBadOnesAreRefused()
    {
        var set = SecretSet.Create(null, patterns: ["ghp_[A-Za-z0-9]{8,}"], patternTimeout: TimeSpan.FromSeconds(2));

        Assert.AreEqual(TimeSpan.FromSeconds(2), set.Patterns.Single().MatchTimeout);
        Assert.AreEqual(SecretSet.DefaultPatternTimeout, SecretSet.Create(null, patterns: ["x+"]).Patterns.Single().MatchTimeout);
        var error = Assert.ThrowsExactly<ArgumentException>(() => SecretSet.Create(null, patterns: ["(unclosed"]));
        StringAssert.Contains(error.Message, "(unclosed");
    }

    [TestMethod]
    public void NothingSecretGivesTheEmptySet()
    {
        var set = SecretSet.Create(new Dictionary<string, string?> { ["PATH"] = "/bin" });

        Assert.AreSame(SecretSet.Empty, set);
        Assert.IsTrue(set.IsEmpty);
    }

    [TestMethod]
    public void RedactTextMasksWholeStringsByTheStreamRules()
    {
        var set = SecretSet.Create(Environment, patterns: ["ghp_[A-Za-z0-9]{8,}"]);
        const string command = "curl -H 'Authorization: tok-123456' https://x/?p=hunter22";

        Assert.AreEqual("curl -H 'Authorization: ***' https://x/?p=***", set.RedactText(command));
        Assert.AreEqual("git push https://***@github.com\nnext line", set.RedactText("git push https://ghp_ABCDEFGH12@github.com\nnext line"));
        const string clean = "dotnet build -c Release";
        Assert.AreSame(clean, set.RedactText(clean));
    }
}
