using Orchestrator.Core.Commands;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Tests.Validation;

/// <summary>Task, session and command ids follow one rule; an ExecRequest cannot hold a value that breaks it.</summary>
[TestClass]
public sealed class IdentifierTests
{
    [TestMethod]
    [DataRow("build", true)]
    [DataRow("a.b_c-1", true)]
    [DataRow("", false)]
    [DataRow(".", false)]
    [DataRow("..", false)]
    [DataRow("a/b", false)]
    [DataRow("a b", false)]
    [DataRow("é", false)]
    public void TheThreeIdsShareOneAlphabet(string id, bool valid)
    {
        Assert.AreEqual(valid, TaskId.IsValid(id, out _));
        Assert.AreEqual(valid, SessionId.IsValid(id, out _));
        Assert.AreEqual(valid, CommandId.IsValid(id, out _));
    }

    [TestMethod]
    public void EachIdHasItsOwnLength()
    {
        Assert.IsTrue(CommandId.IsValid(new string('a', 48), out _));
        Assert.IsFalse(CommandId.IsValid(new string('a', 49), out string? problem));
        Assert.AreEqual("it is 49 characters long (at most 48)", problem);
        Assert.IsTrue(SessionId.IsValid(new string('a', 64), out _));
        Assert.IsFalse(SessionId.IsValid(new string('a', 65), out _));
    }

    [TestMethod]
    public void AnExecRequestCannotBeConstructedInvalid()
    {
        var command = CommandSpec.FromShell("true");
        static void Invalid(Func<ExecRequest> make) =>
            Assert.AreEqual(OrchestratorErrorCode.InvalidRequest, Assert.ThrowsExactly<OrchestratorException>(() => make()).Code);

        Invalid(() => new ExecRequest { Command = command, SessionId = "bad id" });
        Invalid(() => new ExecRequest { Command = command, Id = "../x" });
        Invalid(() => new ExecRequest { Command = command, Timeout = TimeSpan.Zero });
        Invalid(() => new ExecRequest { Command = command, Terminal = new TerminalSize(0, 10) });
        Invalid(() => new ExecRequest { Command = command, Environment = System.Collections.Immutable.ImmutableDictionary<string, string?>.Empty.Add("A=B", "x") });
        Invalid(() => new ExecRequest { Command = command, Environment = System.Collections.Immutable.ImmutableDictionary<string, string?>.Empty.Add("A", "x\0y") });

        var good = new ExecRequest { Command = command, SessionId = "s1", Id = "build", Timeout = TimeSpan.FromSeconds(1) };
        Invalid(() => good with { SessionId = "" });
    }

    [TestMethod]
    public void AnEnvironmentOverlayKeepsTheLastValueOfAName()
    {
        Assert.IsTrue(EnvironmentOverlay.TryParseEntries(["A=1", "A=2", "B="], out var overlay, out _, out _));
        Assert.AreEqual("2", overlay["A"]);
        Assert.AreEqual("", overlay["B"]);
    }
}
