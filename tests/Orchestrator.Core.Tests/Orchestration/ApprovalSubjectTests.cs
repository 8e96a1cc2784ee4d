using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration.Approvals;

namespace Orchestrator.Core.Tests.Orchestration;

[TestClass]
public sealed class ApprovalSubjectTests
{
    private static ApprovalSubject Of(CommandSpec command) =>
        ApprovalSubject.For(ApprovalAction.Escalate, command, "/w", "t", "r");

    /// <summary>An approval cached for the one command "a b c d" must not approve "a b", newline, "c d".</summary>
    [TestMethod]
    public void ALineWithANewlineHasAnotherKeyThanTheLineWithASpace()
    {
        var plain = Of(CommandSpec.FromShell("dotnet restore --help touch /tmp/x"));
        var twoCommands = Of(CommandSpec.FromShell("dotnet restore --help\ntouch /tmp/x"));

        Assert.AreNotEqual(plain.Key, twoCommands.Key);
        Assert.IsTrue(plain.IsPlainCommand);
        Assert.IsFalse(twoCommands.IsPlainCommand);
    }

    [TestMethod]
    public void APlainLineIsTheSameCommandAsItsArgvWhateverItsQuotesAndSpaces()
    {
        var argv = Of(CommandSpec.FromArgv("npm", "ci", "a b"));

        Assert.AreEqual(argv.Key, Of(CommandSpec.FromShell("npm  ci 'a b'")).Key);
        Assert.AreEqual(argv.Key, Of(CommandSpec.FromShell("'npm' ci \"a b\"")).Key);
    }

    [TestMethod]
    public void TheDisplayShowsTheNewlineEscaped() =>
        Assert.AreEqual(@"$'dotnet restore --help\ntouch /tmp/x'", Of(CommandSpec.FromShell("dotnet restore --help\ntouch /tmp/x")).Display);
}
