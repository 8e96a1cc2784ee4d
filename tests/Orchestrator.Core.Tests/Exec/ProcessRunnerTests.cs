using System.Diagnostics;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Exec;

[TestClass]
public sealed class ProcessRunnerTests
{
    private static Task<ProcessOutcome> Run(ProcessLaunch launch, IProcessOutputObserver observer, ProcessLimits? limits = null, CancellationToken token = default, Action<int>? started = null) =>
        ProcessRunner.RunAsync(launch, observer, limits ?? Launches.Limits(), started, token);

    [TestMethod]
    public async Task ExitCodeAndBothStreamsAreReported()
    {
        var output = new CollectingObserver();
        var outcome = await Run(Launches.Shell("echo out; echo err >&2; exit 7"), output);

        Assert.AreEqual(7, outcome.ExitCode);
        Assert.IsNull(outcome.Signal);
        Assert.IsNull(outcome.Termination);
        Assert.AreEqual("out\n", output.Stdout);
        Assert.AreEqual("err\n", output.Stderr);
        Assert.IsTrue(outcome.Pid > 0);
    }

    [TestMethod]
    public async Task TerminatingSignalIsReportedWithShellStyleExitCode()
    {
        var outcome = await Run(Launches.Shell("kill -SEGV $$"), new CollectingObserver());

        Assert.AreEqual(11, outcome.Signal);
        Assert.AreEqual("SIGSEGV", outcome.SignalName);
        Assert.AreEqual(128 + 11, outcome.ExitCode);
    }

    [TestMethod]
    public async Task ArgvIsPassedVerbatimWithoutAShell()
    {
        var output = new CollectingObserver();
        var outcome = await Run(Launches.Argv(["printf", "%s|", "a b", "$HOME", "';\"", ""]), output);

        Assert.AreEqual(0, outcome.ExitCode);
        Assert.AreEqual("a b|$HOME|';\"||", output.Stdout);
    }

    [TestMethod]
    public async Task EnvironmentOverlayAddsOverridesAndRemoves()
    {
        Environment.SetEnvironmentVariable("ORCH_TEST_INHERITED", "inherited");
        Environment.SetEnvironmentVariable("ORCH_TEST_REMOVED", "present");
        var overlay = Launches.Env(("ORCH_TEST_ADDED", "added"), ("ORCH_TEST_INHERITED", "overridden"), ("ORCH_TEST_REMOVED", null));
        var output = new CollectingObserver();

        await Run(Launches.Shell("echo \"$ORCH_TEST_ADDED/$ORCH_TEST_INHERITED/${ORCH_TEST_REMOVED-unset}\"", overlay: overlay), output);

        Assert.AreEqual("added/overridden/unset\n", output.Stdout);
    }

    [TestMethod]
    public async Task WorkingDirectoryIsTheRequestedOne()
    {
        using var dir = new TempDirectory();
        var output = new CollectingObserver();

        await Run(Launches.Shell("pwd", cwd: dir.Path), output);

        Assert.AreEqual(dir.Path + "\n", output.Stdout);
    }

    [TestMethod]
    public async Task ChildStartsWithDefaultSignalDispositions()
    {
        // .NET ignores SIGPIPE; if the child inherited that, `yes` would spin forever on EPIPE.
        var output = new CollectingObserver();
        var outcome = await Run(Launches.Shell("yes | head -n 2; grep -E '^Sig(Ign|Blk)' /proc/self/status"), output, Launches.Limits(timeoutSeconds: 20));

        Assert.IsNull(outcome.Termination, "yes | head never ended: SIGPIPE was inherited as ignored");
        StringAssert.Contains(output.Stdout, "y\ny\n");
        StringAssert.Contains(output.Stdout, "SigBlk:\t0000000000000000");
        string ignored = output.Stdout.Split('\n').Single(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))["SigIgn:".Length..].Trim();
        ulong mask = ulong.Parse(ignored, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        foreach (int signal in new[] { 1, 2, 3, 13, 15 })
        {
            // glibc keeps its internal real-time signals (32, 33) ignored in the child; every standard one must be default.
            Assert.AreEqual(0UL, mask & (1UL << (signal - 1)), $"signal {signal} is ignored in the child (SigIgn {ignored})");
        }
    }

    [TestMethod]
    public async Task ChildRunsInItsOwnProcessGroup()
    {
        var output = new CollectingObserver();
        int pid = 0;
        await Run(Launches.Shell("ps -o pgid= -p $$"), output, started: p => pid = p);

        Assert.AreEqual(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), output.Stdout.Trim());
    }

    [TestMethod]
    public async Task TimeoutEndsTheWholeProcessTreeWithSigterm()
    {
        using var dir = new TempDirectory();
        string pidFile = dir.Combine("grandchild.pid");
        var outcome = await Run(Launches.Shell($"sleep 300 & echo $! > {pidFile}; wait"), new CollectingObserver(), Launches.Limits(timeoutSeconds: 1));

        Assert.IsNotNull(outcome.Termination);
        Assert.AreEqual(TerminationReason.Timeout, outcome.Termination.Reason);
        Assert.IsTrue(outcome.Termination.TermSent);
        Assert.IsFalse(outcome.Termination.Forced, "SIGTERM was enough; no SIGKILL expected");
        Assert.AreEqual("SIGTERM", outcome.SignalName);
        int grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.IsFalse(await WaitGoneAsync(grandchild), $"grandchild {grandchild} survived the timeout");
    }

    [TestMethod]
    public async Task CommandIgnoringSigtermIsKilledAfterTheGracePeriod()
    {
        using var dir = new TempDirectory();
        string pidFile = dir.Combine("child.pid");
        var watch = Stopwatch.StartNew();
        var outcome = await Run(
            Launches.Shell($"trap '' TERM; sleep 300 & echo $! > {pidFile}; wait; wait"),
            new CollectingObserver(),
            Launches.Limits(timeoutSeconds: 0.5, graceSeconds: 0.5));

        Assert.IsNotNull(outcome.Termination);
        Assert.IsTrue(outcome.Termination.TermSent);
        Assert.IsTrue(outcome.Termination.Forced, "SIGKILL must follow when SIGTERM is ignored");
        Assert.AreEqual("SIGKILL", outcome.SignalName);
        Assert.IsTrue(watch.Elapsed < TimeSpan.FromSeconds(60), "the command was not ended");
        int child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.IsFalse(await WaitGoneAsync(child), $"child {child} that ignores SIGTERM survived");
    }

    [TestMethod]
    public async Task CancellationEndsTheProcessTree()
    {
        using var cts = new CancellationTokenSource();
        var output = new CollectingObserver();
        var run = Run(Launches.Shell("echo ready; sleep 300"), output, token: cts.Token);
        await WaitUntilAsync(() => output.Stdout.Contains("ready", StringComparison.Ordinal));
        cts.Cancel();
        var outcome = await run;

        Assert.IsNotNull(outcome.Termination);
        Assert.AreEqual(TerminationReason.Cancelled, outcome.Termination.Reason);
        Assert.IsTrue(outcome.Termination.TermSent);
    }

    [TestMethod]
    public async Task GracePeriodZeroKillsAtOnce()
    {
        var outcome = await Run(Launches.Shell("sleep 300"), new CollectingObserver(), Launches.Limits(timeoutSeconds: 0.2, graceSeconds: 0));

        Assert.IsNotNull(outcome.Termination);
        Assert.IsFalse(outcome.Termination.TermSent);
        Assert.IsTrue(outcome.Termination.Forced);
        Assert.AreEqual("SIGKILL", outcome.SignalName);
    }

    [TestMethod]
    public async Task BackgroundChildHoldingStdoutDoesNotHangAfterTheMainProcessExits()
    {
        using var dir = new TempDirectory();
        string pidFile = dir.Combine("bg.pid");
        var output = new CollectingObserver();
        var watch = Stopwatch.StartNew();
        var outcome = await Run(
            Launches.Shell($"(sleep 300; echo late) & echo $! > {pidFile}; echo main-done"),
            output,
            Launches.Limits(drainSeconds: 0.5));
        watch.Stop();

        Assert.AreEqual(0, outcome.ExitCode);
        Assert.IsTrue(outcome.OutputDrainTimedOut);
        Assert.IsTrue(watch.Elapsed < TimeSpan.FromSeconds(60), "the runtime waited for the background child");
        Assert.AreEqual("main-done\n", output.Stdout);
        KillIfAlive(File.ReadAllText(pidFile));
    }

    [TestMethod]
    public async Task OutputWrittenBeforeExitIsNeverLost()
    {
        var output = new CollectingObserver();
        var outcome = await Run(Launches.Shell("head -c 5000000 /dev/zero | tr '\\0' 'x'; echo; echo tail >&2"), output);

        Assert.AreEqual(0, outcome.ExitCode);
        Assert.AreEqual(5_000_001, output.Stdout.Length);
        Assert.AreEqual("tail\n", output.Stderr);
    }

    [TestMethod]
    public void UnknownProgramIsAClearStartError()
    {
        var environment = EnvironmentBuilder.Compose(null);
        var (path, error) = ProgramResolver.Resolve("definitely-not-a-program-xyz", "/", environment["PATH"]);

        Assert.IsNull(path);
        Assert.IsNotNull(error);
        Assert.AreEqual(StartFailureKind.ProgramNotFound, error.Kind);
        StringAssert.Contains(error.Message, "definitely-not-a-program-xyz");
        StringAssert.Contains(error.Message, "PATH");
    }

    [TestMethod]
    public async Task MissingWorkingDirectoryIsAClearStartError()
    {
        var launch = Launches.Shell("true") with { WorkingDirectory = "/nonexistent/orch/dir" };
        var outcome = await Run(launch, new CollectingObserver());

        Assert.IsFalse(outcome.Started);
        Assert.AreEqual(StartFailureKind.WorkingDirectoryNotFound, outcome.StartError!.Kind);
        StringAssert.Contains(outcome.StartError.Message, "/nonexistent/orch/dir");
    }

    [TestMethod]
    public async Task NonExecutableFileIsPermissionDenied()
    {
        using var dir = new TempDirectory();
        string script = dir.Combine("script.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var (path, error) = ProgramResolver.Resolve("./script.sh", dir.Path, "/usr/bin");

        Assert.IsNull(path);
        Assert.AreEqual(StartFailureKind.PermissionDenied, error!.Kind);
        StringAssert.Contains(error.Message, "not executable");
    }

    [TestMethod]
    public async Task ScriptWithoutInterpreterLineIsAnExecFormatError()
    {
        using var dir = new TempDirectory();
        string binary = dir.Combine("garbage");
        await File.WriteAllBytesAsync(binary, [0x01, 0x02, 0x03, 0x04, 0x05]);
        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var launch = Launches.Argv([binary], cwd: dir.Path);

        var outcome = await Run(launch, new CollectingObserver());

        Assert.IsFalse(outcome.Started);
        Assert.AreEqual(StartFailureKind.ExecFormatError, outcome.StartError!.Kind);
        StringAssert.Contains(outcome.StartError.Message, binary);
    }

    [TestMethod]
    public async Task MissingInterpreterIsReportedAsNotFound()
    {
        using var dir = new TempDirectory();
        string script = dir.Combine("script");
        await File.WriteAllTextAsync(script, "#!/no/such/interpreter\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var outcome = await Run(Launches.Argv([script], cwd: dir.Path), new CollectingObserver());

        Assert.AreEqual(StartFailureKind.ProgramNotFound, outcome.StartError!.Kind);
        StringAssert.Contains(outcome.StartError.Message, "interpreter");
    }

    [TestMethod]
    public async Task ObserverFailureIsReportedAndTheCommandIsKilledInsteadOfRunningUnrecorded()
    {
        // Output that cannot be recorded (a full disk) must not leave the command running: it would
        // go on doing things no record shows. The sleep would hold the run for a minute.
        var observer = new ThrowingObserver();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var outcome = await Run(Launches.Shell("head -c 3000000 /dev/zero; sleep 60; exit 3"), observer);

        Assert.IsLessThan(30, started.Elapsed.TotalSeconds, "the command was stopped, not waited for");
        Assert.AreEqual(9, outcome.Signal, "killed with SIGKILL after the recording failed");
        Assert.IsInstanceOfType<IOException>(outcome.RecordingError);
        Assert.AreEqual(1, observer.Calls);
    }

    private sealed class ThrowingObserver : IProcessOutputObserver
    {
        public int Calls { get; private set; }

        public void OnOutput(OutputStreamKind stream, ReadOnlySpan<byte> data)
        {
            Calls++;
            throw new IOException("disk full (simulated)");
        }
    }

    private static async Task<bool> WaitGoneAsync(int pid)
    {
        for (int i = 0; i < 100 && Launches.ProcessExists(pid); i++)
        {
            await Task.Delay(50);
        }

        return Launches.ProcessExists(pid);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.IsTrue(condition(), "condition not reached");
    }

    private static void KillIfAlive(string pidText)
    {
        if (int.TryParse(pidText.Trim(), out int pid) && Launches.ProcessExists(pid))
        {
            Process.GetProcessById(pid).Kill(entireProcessTree: true);
        }
    }
}
