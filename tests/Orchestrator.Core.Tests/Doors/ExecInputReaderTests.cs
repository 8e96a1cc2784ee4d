using Orchestrator.Core.Doors;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Outcomes;
using Orchestrator.Core.Settings;
using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Tests.Doors;

/// <summary>
/// One reader checks what every door received: the same bad value gets the same code and words in
/// every door, with only the parameter's name in that door differing.
/// </summary>
[TestClass]
public sealed class ExecInputReaderTests
{
    private static ExecInput Input(string? command = "true") => new() { Command = command, WorkingDirectory = Path.GetTempPath() };

    private static OutcomeMessage Problem(ExecInput input, SettingSurface surface = SettingSurface.MSBuildExec)
    {
        Assert.IsFalse(ExecInputReader.TryRead(input, surface, out var request, out var problem));
        Assert.IsNull(request);
        Assert.AreEqual(OutcomeSeverity.Error, problem.Severity);
        return problem;
    }

    [TestMethod]
    public void AGoodInputBecomesTheRequest()
    {
        var input = Input() with
        {
            EnvironmentEntries = ["A=1", "B=x=y"],
            EnvironmentVariables = new Dictionary<string, string?> { ["C"] = null },
            Timeout = "1500",
            PlainDurationUnit = PlainNumberUnit.Milliseconds,
            CommandId = "compile",
            Title = "Compile",
            SessionId = " s1 ",
            TerminalColumns = "100",
        };

        Assert.IsTrue(ExecInputReader.TryRead(input, SettingSurface.MSBuildExec, out var request, out var problem), problem?.ToString());
        Assert.AreEqual("true", request.Command.ShellLine);
        Assert.AreEqual("1", request.Environment["A"]);
        Assert.AreEqual("x=y", request.Environment["B"]);
        Assert.IsNull(request.Environment["C"]);
        Assert.AreEqual(TimeSpan.FromMilliseconds(1500), request.Timeout);
        Assert.AreEqual("compile", request.Id);
        Assert.AreEqual("s1", request.SessionId);
        Assert.AreEqual(new TerminalSize(100, TerminalSize.Default.Rows), request.Terminal);
    }

    [TestMethod]
    public void APlainTimeoutIsMillisecondsForMSBuildAndSecondsForTheCli()
    {
        Assert.IsTrue(ExecInputReader.TryRead(Input() with { Timeout = "30", PlainDurationUnit = PlainNumberUnit.Milliseconds }, SettingSurface.MSBuildExec, out var msbuild, out _));
        Assert.IsTrue(ExecInputReader.TryRead(Input() with { Timeout = "30", PlainDurationUnit = PlainNumberUnit.Seconds }, SettingSurface.CliExec, out var cli, out _));
        Assert.AreEqual(TimeSpan.FromMilliseconds(30), msbuild.Timeout);
        Assert.AreEqual(TimeSpan.FromSeconds(30), cli.Timeout);
        foreach (string text in new[] { "250ms", "30s", "5m", "1.5h" })
        {
            Assert.IsTrue(ExecInputReader.TryRead(Input() with { Timeout = text }, SettingSurface.CakeExec, out _, out var problem), text + ": " + problem);
        }
    }

    [TestMethod]
    public void NothingToRunAndTwoThingsToRunAreRefusedNamingTheDoorsParameters()
    {
        Assert.AreEqual("ORCH0003: Nothing to run: set Command (OrchestratorCommand), Argv (@(OrchestratorArgv)) or ScriptFile (OrchestratorScriptFile).",
            Problem(Input(null)).ToString());
        Assert.AreEqual("ORCH0004: Set only one of Command, Argv and ScriptFile (got Command, Argv).",
            Problem(Input() with { Argv = ["echo"] }, SettingSurface.CakeExec).ToString());
    }

    [TestMethod]
    public void AMissingScriptIsRefusedWithItsFullPath()
    {
        var problem = Problem(new ExecInput { ScriptFile = "nope.sh", WorkingDirectory = "/tmp" });
        Assert.AreEqual("ORCH0007", problem.Code);
        StringAssert.Contains(problem.Text, "\"/tmp/nope.sh\"");
    }

    [TestMethod]
    [DataRow("NOEQUALS", "it is not of the form NAME=value")]
    [DataRow("=value", "it is not of the form NAME=value")]
    [DataRow("A=b\0c", "a value cannot contain NUL")]
    public void ABadEnvironmentEntryIsRefused(string entry, string why)
    {
        var problem = Problem(Input() with { EnvironmentEntries = [entry] }, SettingSurface.CliExec);
        Assert.AreEqual("ORCH0005", problem.Code);
        StringAssert.Contains(problem.Text, "--env");
        StringAssert.Contains(problem.Text, why);
    }

    [TestMethod]
    public void ABadEnvironmentNameFromADictionaryIsRefused()
    {
        var problem = Problem(Input() with { EnvironmentVariables = new Dictionary<string, string?> { ["A=B"] = "x" } }, SettingSurface.CakeExec);
        Assert.AreEqual("ORCH0005: The EnvironmentVariables entry \"A=B\" is invalid: a variable name cannot contain '=' or NUL (use NAME=value).", problem.ToString());
    }

    [TestMethod]
    public void TheSameBadValueReadsTheSameInEveryDoorButForTheParameterName()
    {
        var input = Input() with { Timeout = "soon" };
        Assert.AreEqual("Invalid value \"soon\" for parameter Timeout: not a duration (a positive number with ms, s, m or h; a plain number is seconds).",
            Problem(input, SettingSurface.MSBuildExec).Text);
        Assert.AreEqual("Invalid value \"soon\" for parameter --timeout: not a duration (a positive number with ms, s, m or h; a plain number is seconds).",
            Problem(input, SettingSurface.CliExec).Text);
        Assert.AreEqual(Problem(input, SettingSurface.MSBuildExec).Text, Problem(input, SettingSurface.CakeExec).Text);
    }

    [TestMethod]
    [DataRow("bad id!", "sessionId")]
    [DataRow("..", "sessionId")]
    public void ABadSessionIdIsRefused(string id, string _)
    {
        var problem = Problem(Input() with { SessionId = id }, SettingSurface.CliExec);
        Assert.AreEqual($"ORCH0006: Invalid value \"{id}\" for parameter --session: use 1-64 characters from [A-Za-z0-9._-].", problem.ToString());
    }

    [TestMethod]
    public void ABadCommandIdOrTerminalSizeIsRefused()
    {
        StringAssert.Contains(Problem(Input() with { CommandId = new string('a', 49) }).Text, "for parameter CommandId: it is 49 characters long (at most 48)");
        Assert.AreEqual("Invalid value \"0\" for parameter TerminalRows: use 1-1000.", Problem(Input() with { TerminalRows = "0" }).Text);
        Assert.AreEqual("Invalid value \"1001\" for parameter --columns: use 1-1000.", Problem(Input() with { TerminalColumns = "1001" }, SettingSurface.CliExec).Text);
    }
}
