using System.CommandLine;
using Orchestrator.Cli.Commands;

namespace Orchestrator.Cli.Tests.Commands;

/// <summary>
/// The common exec command line is read without System.CommandLine (start-up); whatever that fast
/// reader accepts, it must read exactly as System.CommandLine does, and everything else it must
/// hand over.
/// </summary>
[TestClass]
public sealed class ExecArgumentsTests
{
    public static IEnumerable<object[]> CommonCommandLines =>
    [
        [new[] { "--", "true" }],
        [new[] { "--jsonl", "--", "make", "-j4" }],
        [new[] { "--json", "--timeout", "5m", "--env", "CI=true", "--env", "A=b=c", "--", "npm", "ci" }],
        [new[] { "--sandbox", "read-only", "--network", "--", "./check.sh", "--flag" }],
        [new[] { "--sandbox=workspace-write", "--approval-policy=never", "--", "x" }],
        [new[] { "--approval-policy", "on-request", "--sandbox", "danger-full-access", "--", "x" }],
        [new[] { "--otel-endpoint", "http://127.0.0.1:4318", "--notify", "https://hooks.example/ci", "--notify", "command:notify-send x", "--", "make" }],
        [new[] { "--cwd", "/tmp", "--task", "build", "--runs-root", "out/runs", "--config", "o.yaml", "--id", "compile", "--event-budget", "0", "--session", "s1", "--pty", "--", "sh", "-c", "echo hi" }],
        [new[] { "--env=X=1", "--otel-endpoint=http://user@127.0.0.1:4318/v1", "--", "env" }],
        [new[] { "--timeout", "abc", "--env", "NOEQUALS", "--", "true" }],
        [new[] { "--", "--jsonl", "--", "@file", "-h" }],
        [new[] { "--jsonl", "--json", "--", "true" }],
        [new[] { "--writable-root", "/tmp/a", "--writable-root=/tmp/b", "--max-attempts", "2", "--request-escalation", "--kill-grace", "5s", "--", "x" }],
        [new[] { "--pty", "--columns", "100", "--rows=30", "--title", "build step", "--capture-bytes", "4096", "--", "x" }],
    ];

    public static IEnumerable<object[]> UncommonCommandLines =>
    [
        [Array.Empty<string>()],
        [new[] { "--" }],
        [new[] { "--help" }],
        [new[] { "-h", "--", "true" }],
        [new[] { "true" }],
        [new[] { "make", "--", "-j4" }],
        [new[] { "--jsonl", "true", "--", "x" }],
        [new[] { "--jsonl=true", "--", "x" }],
        [new[] { "--network", "false", "--", "x" }],
        [new[] { "--cwd", "a", "--cwd", "b", "--", "x" }],
        [new[] { "--sandbox", "workspace", "--", "x" }],
        [new[] { "--approval-policy", "always", "--", "x" }],
        [new[] { "--timeout" }],
        [new[] { "--timeout", "--", "x" }],
        [new[] { "--env", "A=1", "B=2", "--", "x" }],
        [new[] { "--bogus", "--", "x" }],
        [new[] { "-x", "--", "y" }],
        [new[] { "@args.rsp", "--", "x" }],
        [new[] { "--config", "@args.rsp", "--", "x" }],
        [new[] { "--cwd:dir", "--", "x" }],
        [new[] { "--cwd", "", "--", "x" }],
        [new[] { "--cwd", "-x", "--", "y" }],
        [new[] { "--request-escalation", "true", "--", "x" }],
        [new[] { "--max-attempts", "1", "--max-attempts", "2", "--", "x" }],
    ];

    [TestMethod]
    [DynamicData(nameof(CommonCommandLines))]
    public void TheFastReaderReadsACommonCommandLineExactlyAsSystemCommandLineDoes(string[] args)
    {
        Assert.IsTrue(ExecArguments.TryParseCommon(args, out ExecArguments fast), "a common command line must not need the command tree");

        var options = new ExecOptions();
        var root = new RootCommand { ExecCommand.Create(options) };
        ParseResult parse = root.Parse(["exec", .. args]);
        Assert.IsEmpty(parse.Errors, string.Join("; ", parse.Errors.Select(e => e.Message)));
        Assert.AreEqual(Describe(ExecArguments.From(parse, options)), Describe(fast));
    }

    [TestMethod]
    [DynamicData(nameof(UncommonCommandLines))]
    public void AnythingElseIsLeftToSystemCommandLine(string[] args)
    {
        Assert.IsFalse(ExecArguments.TryParseCommon(args, out _));
    }

    [TestMethod]
    public void OnlyAnExecCommandLineTakesTheFastPath()
    {
        Assert.IsNull(CliApp.TryRunCommonExec(["start", "--", "true"]));
        Assert.IsNull(CliApp.TryRunCommonExec(["exec"]));
        Assert.IsNull(CliApp.TryRunCommonExec(["--version"]));
    }

    private static string Describe(ExecArguments a) => string.Join("\n",
        $"jsonl={a.Jsonl} json={a.Json} pty={a.Pty} network={a.Network?.ToString() ?? "unset"}",
        $"cwd={a.Cwd} task={a.Task} runsRoot={a.RunsRoot} config={a.Config}",
        $"approvalPolicy={a.ApprovalPolicy} sandbox={a.Sandbox} session={a.Session} timeout={a.Timeout}",
        $"eventBudget={a.EventBudget} id={a.Id} otel={a.OtelEndpoint} unknown={a.UnknownOption}",
        $"env=[{string.Join("|", a.Env)}] notify=[{string.Join("|", a.Notify)}] writableRoots=[{string.Join("|", a.WritableRoots)}]",
        $"maxAttempts={a.MaxAttempts} escalate={a.RequestEscalation} killGrace={a.KillGrace} title={a.Title} capture={a.CaptureBytes} columns={a.Columns} rows={a.Rows}",
        $"command=[{string.Join("|", a.Command)}]");
}
