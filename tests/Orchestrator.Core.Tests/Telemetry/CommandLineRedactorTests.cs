using Orchestrator.Core.Security;
using Orchestrator.Core.Telemetry;

namespace Orchestrator.Core.Tests.Telemetry;

[TestClass]
public sealed class CommandLineRedactorTests
{
    private static readonly CommandLineRedactor Redactor = new(SecretSet.Create([new("NUGET_API_KEY", "oy2abcdefghijk")]));

    [TestMethod]
    [DataRow("dotnet nuget push -k oy2abcdefghijk", "dotnet nuget push -k ***", DisplayName = "a value of a secret variable")]
    [DataRow("GITHUB_TOKEN=ghp_123456 gh release create", "GITHUB_TOKEN=*** gh release create", DisplayName = "a secret-named assignment")]
    [DataRow("deploy --api-key=xyz987 --verbose", "deploy --api-key=*** --verbose", DisplayName = "a secret-named option with =")]
    [DataRow("deploy --password 'a b c' --user me", "deploy --password *** --user me", DisplayName = "a secret-named option and its quoted value")]
    [DataRow("git clone https://bot:pat123@github.com/o/r.git", "git clone https://***@github.com/o/r.git", DisplayName = "URL credentials")]
    [DataRow("curl -H \"Authorization: Bearer abc.def\" https://x?token=t0k&page=2", "curl -H \"Authorization: Bearer ***\" https://x?token=***&page=2", DisplayName = "an authorization header and a query secret")]
    [DataRow("make -j4 CONFIG=Release test", "make -j4 CONFIG=Release test", DisplayName = "nothing secret is left alone")]
    [DataRow("dotnet build --no-restore --configuration Release", "dotnet build --no-restore --configuration Release", DisplayName = "options that are not secret")]
    public void SecretsBecomeAMask(string commandLine, string expected)
    {
        Assert.AreEqual(expected, Redactor.Redact(commandLine));
    }

    [TestMethod]
    public void AVeryLongCommandLineIsCut()
    {
        string redacted = Redactor.Redact("echo " + new string('x', 10_000));

        Assert.AreEqual(CommandLineRedactor.MaxLength, redacted.Length);
        StringAssert.EndsWith(redacted, "...");
    }
}
