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
    public void AnythingThatCouldChangeStateIsNot(string line) => Assert.IsFalse(SafeCommands.IsSafe(CommandSpec.FromShell(line)), line);

    [TestMethod]
    public void ArgvCommandsAndConfiguredPrefixesAreMatchedByTokens()
    {
        Assert.IsTrue(SafeCommands.IsSafe(CommandSpec.FromArgv("/usr/bin/git", "diff", "HEAD~1")));
        Assert.IsFalse(SafeCommands.IsSafe(CommandSpec.FromArgv("make", "-n")));
        Assert.IsTrue(SafeCommands.IsSafe(CommandSpec.FromArgv("make", "-n", "all"), [["make", "-n"]]));
    }
}
