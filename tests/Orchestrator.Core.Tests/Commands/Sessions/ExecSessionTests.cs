using System.Collections.Immutable;
using System.Text;
using Orchestrator.Core.Commands.Sessions;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Commands.Sessions;

/// <summary>A real shell on a real PTY, reused across commands.</summary>
[TestClass]
public sealed class ExecSessionTests
{
    private static readonly ProcessLimits Quick = new(TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300));

    private static SessionStartOptions Options(string cwd, TerminalSize? size = null, SandboxLaunch? sandbox = null) =>
        new(cwd, ImmutableDictionary<string, string?>.Empty.Add("ORCH_SESSION_TEST", "1").Add("API_TOKEN", "hunter2"), size ?? TerminalSize.Default, sandbox);

    private static async Task<(SessionCommandOutcome Outcome, string Output)> RunAsync(ExecSession session, string command, ProcessLimits? limits = null)
    {
        var output = new CollectingObserver();
        var outcome = await session.RunAsync(command, output, limits ?? Quick, CancellationToken.None);
        return (outcome, output.Stdout);
    }

    [TestMethod]
    public async Task TwoCommandsShareTheShellAndItsState()
    {
        using var dir = new TempDirectory();
        await using var session = await ExecSession.StartAsync("s1", Options(dir.Path), CancellationToken.None);

        var first = await RunAsync(session, "echo pid=$$; cd /; GREETING=hello");
        var second = await RunAsync(session, "echo pid=$$; pwd; echo $GREETING");

        Assert.AreEqual(0, first.Outcome.ExitCode);
        string pid = first.Output.Trim();
        StringAssert.StartsWith(second.Output, pid + "\r\n");
        Assert.AreEqual($"{pid}\r\n/\r\nhello\r\n", second.Output);
        Assert.AreEqual(2, session.CommandCount);
    }

    [TestMethod]
    public async Task ExitCodesAndOutputAreDelimitedExactlyWithoutMarkerText()
    {
        using var dir = new TempDirectory();
        await using var session = await ExecSession.StartAsync("s1", Options(dir.Path), CancellationToken.None);

        var failing = await RunAsync(session, "printf 'no newline'; (exit 42)");
        var fakeMarker = await RunAsync(session, @"printf '\033]777;orch;deadbeef;0\007after\n'; false");
        var syntaxError = await RunAsync(session, "echo \"unclosed");
        var next = await RunAsync(session, "echo still-here");

        Assert.AreEqual(42, failing.Outcome.ExitCode);
        Assert.AreEqual("no newline", failing.Output);
        Assert.AreEqual(1, fakeMarker.Outcome.ExitCode, "a marker without this command's nonce is just output");
        Assert.AreEqual("\u001b]777;orch;deadbeef;0\u0007after\r\n", fakeMarker.Output);
        Assert.AreEqual(2, syntaxError.Outcome.ExitCode, "a syntax error is the command's, not the session's");
        Assert.AreEqual(0, next.Outcome.ExitCode);
        Assert.AreEqual("still-here\r\n", next.Output);
    }

    [TestMethod]
    public async Task LongMultiLineCommandsArriveWhole()
    {
        using var dir = new TempDirectory();
        await using var session = await ExecSession.StartAsync("s1", Options(dir.Path), CancellationToken.None);
        string payload = new('x', 20_000);

        var result = await RunAsync(session, $"v='{payload}'\nif [ ${{#v}} -eq 20000 ]; then\n  echo whole\nfi");

        Assert.AreEqual("whole\r\n", result.Output);
    }

    [TestMethod]
    public async Task AnInteractiveReadIsAnsweredThroughWriteStdin()
    {
        using var dir = new TempDirectory();
        await using var session = await ExecSession.StartAsync("s1", Options(dir.Path), CancellationToken.None);
        var output = new CollectingObserver();

        var running = session.RunAsync("printf 'name? '; read answer; echo \"got:$answer\"", output, Quick, CancellationToken.None);
        await WaitForAsync(() => output.Stdout.Contains("name? ", StringComparison.Ordinal));
        await session.WriteAsync("world\n", CancellationToken.None);
        var outcome = await running;

        Assert.AreEqual(0, outcome.ExitCode);
        StringAssert.Contains(output.Stdout, "got:world\r\n");
    }

    [TestMethod]
    public async Task AProgramWaitingOnTheTerminalIsEndedByTheTimeoutAndTheSessionSurvives()
    {
        using var dir = new TempDirectory();
        await using var session = await ExecSession.StartAsync("s1", Options(dir.Path), CancellationToken.None);

        var waiting = await RunAsync(session, "echo waiting; cat", new ProcessLimits(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300)));
        var after = await RunAsync(session, "echo alive");

        Assert.AreEqual(TerminationReason.Timeout, waiting.Outcome.Termination?.Reason);
        Assert.AreEqual(143, waiting.Outcome.ExitCode, "the shell reports the command's SIGTERM");
        Assert.IsTrue(session.IsAlive);
        Assert.AreEqual("alive\r\n", after.Output);
    }

    [TestMethod]
    public async Task RawModeLeftBehindDoesNotBreakTheNextCommand()
    {
        using var dir = new TempDirectory();
        await using var session = await ExecSession.StartAsync("s1", Options(dir.Path), CancellationToken.None);

        var raw = await RunAsync(session, "stty raw -echo; echo changed");
        var next = await RunAsync(session, "stty -a | tr ' ' '\\n' | grep -x -e echo -e icanon -e opost | sort | tr '\\n' ' '; echo; echo line");

        Assert.AreEqual(0, raw.Outcome.ExitCode);
        StringAssert.StartsWith(next.Output, "echo icanon opost \r\nline\r\n", "modes are back to the session's start and output is cooked again");
    }

    [TestMethod]
    public async Task SttySizeFollowsAResize()
    {
        using var dir = new TempDirectory();
        await using var session = await ExecSession.StartAsync("s1", Options(dir.Path, new TerminalSize(80, 24)), CancellationToken.None);

        var before = await RunAsync(session, "stty size");
        session.Resize(new TerminalSize(132, 50));
        var after = await RunAsync(session, "stty size");

        Assert.AreEqual("24 80\r\n", before.Output);
        Assert.AreEqual("50 132\r\n", after.Output);
        Assert.AreEqual(new TerminalSize(132, 50), session.Describe().Terminal);
    }

    [TestMethod]
    public async Task AResizeReachesTheRunningProgramAsSigwinch()
    {
        using var dir = new TempDirectory();
        await using var session = await ExecSession.StartAsync("s1", Options(dir.Path, new TerminalSize(80, 24)), CancellationToken.None);
        var output = new CollectingObserver();

        var running = session.RunAsync("bash -c 'trap \"stty size; exit 0\" WINCH; echo ready; while :; do sleep 0.05; done'", output, Quick, CancellationToken.None);
        await WaitForAsync(() => output.Stdout.Contains("ready", StringComparison.Ordinal));
        session.Resize(new TerminalSize(100, 30));
        var outcome = await running;

        Assert.AreEqual(0, outcome.ExitCode);
        StringAssert.Contains(output.Stdout, "30 100\r\n");
    }

    [TestMethod]
    public async Task AShellThatExitsEndsTheSessionWithAClearReason()
    {
        using var dir = new TempDirectory();
        await using var session = await ExecSession.StartAsync("s1", Options(dir.Path), CancellationToken.None);

        var exiting = await RunAsync(session, "echo bye; exit 7");
        var after = await RunAsync(session, "echo never");

        Assert.IsNull(exiting.Outcome.ExitCode);
        Assert.AreEqual("The session's shell exited with code 7.", exiting.Outcome.Error);
        Assert.AreEqual("bye\r\n", exiting.Output);
        Assert.IsFalse(session.IsAlive);
        Assert.AreEqual("exited", session.Status);
        Assert.AreEqual(exiting.Outcome.Error, after.Outcome.Error, "no hang: the next command is refused at once");
    }

    [TestMethod]
    public async Task AShellKilledFromOutsideFailsTheRunningCommandInsteadOfHanging()
    {
        using var dir = new TempDirectory();
        await using var session = await ExecSession.StartAsync("s1", Options(dir.Path), CancellationToken.None);
        var output = new CollectingObserver();

        var running = session.RunAsync("echo started; sleep 30", output, Quick, CancellationToken.None);
        await WaitForAsync(() => output.Stdout.Contains("started", StringComparison.Ordinal));
        Native.LibC.kill(session.ShellPid, Native.LibC.SIGKILL);
        var outcome = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.IsNull(outcome.ExitCode);
        Assert.AreEqual("The session's shell was killed by SIGKILL.", outcome.Error);
    }

    [TestMethod]
    public async Task IdleOutputFromABackgroundJobIsReadWithAYieldTime()
    {
        using var dir = new TempDirectory();
        await using var session = await ExecSession.StartAsync("s1", Options(dir.Path), CancellationToken.None);

        await RunAsync(session, "(sleep 0.3; echo from-background) &");
        byte[] nothingYet = await session.ReadAsync(TimeSpan.Zero, CancellationToken.None);
        byte[] later = await session.ReadAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.AreEqual(0, nothingYet.Length);
        StringAssert.Contains(Encoding.UTF8.GetString(later), "from-background");
    }

    [TestMethod]
    public async Task TheEnvironmentSnapshotMasksSecrets()
    {
        using var dir = new TempDirectory();
        await using var session = await ExecSession.StartAsync("s1", Options(dir.Path), CancellationToken.None);

        var info = session.Describe();

        Assert.AreEqual("1", info.Environment["ORCH_SESSION_TEST"]);
        Assert.AreEqual("***", info.Environment["API_TOKEN"]);
        Assert.AreEqual("hunter2\r\n", (await RunAsync(session, "echo $API_TOKEN")).Output, "the shell itself has the real value");
    }

    [TestMethod]
    public async Task DisposingEndsTheShellAndItsJobs()
    {
        using var dir = new TempDirectory();
        var session = await ExecSession.StartAsync("s1", Options(dir.Path), CancellationToken.None);
        var (_, output) = await RunAsync(session, "sleep 300 & echo $!");
        int job = int.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);

        await session.DisposeAsync();

        Assert.AreEqual("disposed", session.Status);
        Assert.IsFalse(Directory.Exists($"/proc/{session.ShellPid}"), "the shell was reaped");
        await WaitForAsync(() => !IsRunning(job));
    }

    [TestMethod]
    public async Task ASessionRunsInsideTheSandbox()
    {
        Sandboxes.RequireBubblewrap();
        using var dir = new TempDirectory();
        var probe = BubblewrapProbe.Probe(null, Environment.GetEnvironmentVariable);
        var sandbox = new SandboxLaunch(probe.BubblewrapPath!, new SandboxSettings(SandboxMode.ReadOnly, false, [], true, null), []);
        await using var session = await ExecSession.StartAsync("s1", Options(dir.Path, sandbox: sandbox), CancellationToken.None);

        var tty = await RunAsync(session, "test -t 0 -a -t 1 && tty");
        var write = await RunAsync(session, "touch denied.txt");

        StringAssert.Matches(tty.Output, new System.Text.RegularExpressions.Regex(@"^/dev/pts/\d+\r\n$"));
        Assert.AreNotEqual(0, write.Outcome.ExitCode);
        Assert.IsFalse(File.Exists(dir.Combine("denied.txt")));
        Assert.IsTrue(session.Sandboxed);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.IsTrue(DateTime.UtcNow < deadline, "timed out waiting for a condition");
            await Task.Delay(20);
        }
    }
}
