using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Orchestration;

/// <summary>
/// The probe's memory across processes, with a stand-in bwrap (a script that logs each call): a
/// success is remembered, a failure never, and a changed bwrap, an expired entry or a cache others
/// could write all mean probing again.
/// </summary>
[TestClass]
[DoNotParallelize] // the probe's in-process answers are shared
public sealed class BubblewrapProbeCacheTests
{
    [TestMethod]
    public void ASuccessfulProbeIsRememberedAcrossProcesses()
    {
        using var dir = new TempDirectory();
        var bwrap = FakeBwrap(dir, exitCode: 0);

        var first = ProbeAsNewProcess(dir, bwrap);
        var second = ProbeAsNewProcess(dir, bwrap);

        Assert.IsTrue(first.IsAvailable);
        Assert.IsTrue(second.IsAvailable);
        Assert.AreEqual("bubblewrap 9.9.9", second.Version);
        Assert.AreEqual(2, Calls(dir), "only the first process ran the two probe commands");
    }

    [TestMethod]
    public void AFailedProbeIsNeverRemembered()
    {
        using var dir = new TempDirectory();
        var bwrap = FakeBwrap(dir, exitCode: 1);

        var first = ProbeAsNewProcess(dir, bwrap);
        var second = ProbeAsNewProcess(dir, bwrap);

        Assert.AreEqual(SandboxAvailabilityState.Failed, first.State);
        Assert.AreEqual(SandboxAvailabilityState.Failed, second.State);
        Assert.AreEqual(4, Calls(dir));
        Assert.IsFalse(File.Exists(dir.Combine("cache", "orchestrator", "bwrap-probe")));
    }

    [TestMethod]
    public void AChangedBwrapIsProbedAgain()
    {
        using var dir = new TempDirectory();
        var bwrap = FakeBwrap(dir, exitCode: 0);
        ProbeAsNewProcess(dir, bwrap);

        File.AppendAllText(bwrap, "# upgraded\n");
        ProbeAsNewProcess(dir, bwrap);

        Assert.AreEqual(4, Calls(dir));
    }

    [TestMethod]
    public void AnExpiredEntryIsProbedAgain()
    {
        using var dir = new TempDirectory();
        var bwrap = FakeBwrap(dir, exitCode: 0);
        ProbeAsNewProcess(dir, bwrap);

        File.SetLastWriteTimeUtc(dir.Combine("cache", "orchestrator", "bwrap-probe"), DateTime.UtcNow - BubblewrapProbeCache.Lifetime - TimeSpan.FromMinutes(1));
        ProbeAsNewProcess(dir, bwrap);

        Assert.AreEqual(4, Calls(dir));
    }

    [TestMethod]
    public void ACacheOthersCouldWriteIsNotTrusted()
    {
        using var dir = new TempDirectory();
        var bwrap = FakeBwrap(dir, exitCode: 0);
        ProbeAsNewProcess(dir, bwrap);

        string entry = dir.Combine("cache", "orchestrator", "bwrap-probe");
        File.SetUnixFileMode(entry, File.GetUnixFileMode(entry) | UnixFileMode.OtherWrite);
        ProbeAsNewProcess(dir, bwrap);

        Assert.AreEqual(4, Calls(dir));
    }

    [TestMethod]
    public void WithoutACacheFolderEveryProcessProbes()
    {
        using var dir = new TempDirectory();
        var bwrap = FakeBwrap(dir, exitCode: 0);
        Func<string, string?> noHome = name => name == "PATH" ? Environment.GetEnvironmentVariable("PATH") : null;

        BubblewrapProbe.ForgetInProcess();
        Assert.IsTrue(BubblewrapProbe.Probe(bwrap, noHome).IsAvailable);
        BubblewrapProbe.ForgetInProcess();
        Assert.IsTrue(BubblewrapProbe.Probe(bwrap, noHome).IsAvailable);

        Assert.AreEqual(4, Calls(dir));
    }

    /// <summary>A fresh process knows nothing but what is on disk: forget this process's answers first.</summary>
    private static SandboxAvailability ProbeAsNewProcess(TempDirectory dir, string bwrap)
    {
        BubblewrapProbe.ForgetInProcess();
        string cacheHome = dir.Combine("cache");
        return BubblewrapProbe.Probe(bwrap, name => name == "XDG_CACHE_HOME" ? cacheHome : Environment.GetEnvironmentVariable(name));
    }

    private static string FakeBwrap(TempDirectory dir, int exitCode)
    {
        string path = dir.Combine("bwrap");
        File.WriteAllText(path, $"""
            #!/bin/sh
            echo "$*" >> '{dir.Combine("calls.log")}'
            if [ "$1" = "--version" ]; then echo "bubblewrap 9.9.9"; exit 0; fi
            echo "bwrap: no namespaces here" >&2
            exit {exitCode}

            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static int Calls(TempDirectory dir) => File.Exists(dir.Combine("calls.log")) ? File.ReadAllLines(dir.Combine("calls.log")).Length : 0;

    [ClassCleanup]
    public static void ForgetStandIns() => BubblewrapProbe.ForgetInProcess();
}
