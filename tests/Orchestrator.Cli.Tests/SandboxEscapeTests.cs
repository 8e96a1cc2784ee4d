using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Orchestrator.Cli.Tests.Support;
using Orchestrator.Tests.Shared;

namespace Orchestrator.Cli.Tests;

/// <summary>
/// The attacks an untrusted command (a pull request's tests) would try, run through the CLI with
/// real bubblewrap as root and as an unprivileged user: each must fail, and the record must say
/// what really happened. Nothing is written outside the test's temp folder.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class SandboxEscapeTests
{
    [ClassInitialize]
    public static void RequireBubblewrap(TestContext _)
    {
        if (!File.Exists("/usr/bin/bwrap"))
        {
            Assert.Inconclusive("bubblewrap is not installed (.ci/run installs it)");
        }
    }

    private static void AssertAllFailed(CliOutcome outcome, JsonDocument manifest, params string[] names)
    {
        string stdout = Stdout(manifest);
        foreach (string name in names)
        {
            StringAssert.Contains(stdout, EscapeAttempt.TriedPrefix + name, $"the {name} attempt did not run\n{outcome}");
        }

        Assert.DoesNotContain(EscapeAttempt.EscapedPrefix, stdout, $"an attack worked:\n{stdout}");
    }

    private static string Stdout(JsonDocument manifest) =>
        manifest.RootElement.GetProperty("commands")[0].GetProperty("stdout").GetProperty("text").GetString()!;

    private static JsonElement Command(JsonDocument manifest) => manifest.RootElement.GetProperty("commands")[0];

    /// <summary>
    /// What enforces a limit here, read from the manifest of a harmless run under it; inconclusive
    /// when nothing can, so no test spawns a runaway without a bound in force.
    /// </summary>
    private static async Task<string> EnforcementAsync(AttackWorkspace ws, Dictionary<string, string> environment, string limit, long expected, string enforcedByField)
    {
        var probe = await ws.RunAsync(environment, "exec", "--json", "--timeout", "10s", "--", "true");
        Assert.AreEqual(0, probe.ExitCode, probe.ToString());
        using var manifest = ws.LatestManifest();
        var limits = manifest.RootElement.GetProperty("sandbox").GetProperty("limits");
        Assert.AreEqual(expected, limits.GetProperty(limit).GetInt64());
        string enforcedBy = limits.GetProperty(enforcedByField).GetString()!;
        if (enforcedBy == "none")
        {
            Assert.Inconclusive($"no {limit} limit can be enforced here for {ws.User}; the manifest says so");
        }

        return enforcedBy;
    }

    [TestMethod]
    [DataRow(AttackWorkspace.Root)]
    [DataRow(AttackWorkspace.Unprivileged)]
    public async Task TheCommandHasNoCapabilitiesAndCannotReachTheHost(string user)
    {
        using var ws = new AttackWorkspace(user);
        int host = Environment.ProcessId;
        string script = string.Join("; ",
            "grep CapEff /proc/self/status",
            EscapeAttempt.Shell("remount", "mount -o remount,rw /"),
            EscapeAttempt.Shell("umount", "umount \"$PWD/.runs\""),
            EscapeAttempt.Shell("nsenter", "nsenter -t 1 -m -n -U true"),
            EscapeAttempt.Shell("unshare", "unshare -m true"),
            EscapeAttempt.Shell("sysctl", "sh -c 'cat /proc/sys/kernel/domainname > /proc/sys/kernel/domainname'"),
            EscapeAttempt.Shell("kill", $"kill -0 {host}"),
            EscapeAttempt.Shell("ptrace", $"cat /proc/{host}/environ"),
            EscapeAttempt.Shell("chroot", "chroot / true"),

            // init_module(2): EPERM without CAP_SYS_MODULE; ENOSYS where the kernel has no module support.
            EscapeAttempt.Shell("module", "perl -e 'my $i = \"x\"; syscall(175, 0, 0, $i); exit(($!{EPERM} || $!{ENOSYS}) ? 1 : 0)'"),
            "echo PROCS $(ls /proc | grep -cE '^[0-9]+$')");

        var outcome = await ws.RunAsync("exec", "--json", "--", "sh", "-c", script);

        Assert.AreEqual(0, outcome.ExitCode, outcome.ToString());
        using var manifest = ws.LatestManifest();
        AssertAllFailed(outcome, manifest, "remount", "umount", "nsenter", "unshare", "sysctl", "kill", "ptrace", "chroot", "module");
        StringAssert.Contains(Stdout(manifest), "CapEff:\t0000000000000000", "a capability survived inside the sandbox");
        int visible = int.Parse(Stdout(manifest).Split("PROCS ")[1].Trim(), CultureInfo.InvariantCulture);
        Assert.IsLessThan(10, visible, "the command sees processes outside its own PID namespace");
        Assert.AreEqual("sandboxed", Command(manifest).GetProperty("sandbox").GetString());
        Assert.AreEqual("succeeded", Command(manifest).GetProperty("status").GetString());
    }

    [TestMethod]
    [DataRow(AttackWorkspace.Root)]
    [DataRow(AttackWorkspace.Unprivileged)]
    public async Task RecordsPolicyAndGitStayReadOnly(string user)
    {
        using var ws = new AttackWorkspace(user);
        const string Policy = "approvalPolicy: on-failure\n";
        ws.WriteFile("orchestrator.yaml", Policy);
        ws.WriteFile(".git/config", "[core]\n");
        var first = await ws.RunAsync("exec", "--json", "--", "true");
        Assert.AreEqual(0, first.ExitCode, first.ToString());
        string state = File.ReadAllText(ws.Combine("out", "default", "runs.jsonl"));

        string script = string.Join("; ",
            EscapeAttempt.Shell("policy", "sh -c 'echo \"sandbox: {mode: danger-full-access}\" >> orchestrator.yaml'"),
            EscapeAttempt.Shell("policy-replace", "sh -c 'rm -f orchestrator.yaml && echo x > orchestrator.yaml'"),
            EscapeAttempt.Shell("runs", "sh -c 'echo x > .runs/forged'"),
            EscapeAttempt.Shell("state", "sh -c 'echo {} >> out/default/runs.jsonl'"),
            EscapeAttempt.Shell("state-link", "sh -c 'rm -rf out/default && ln -s /tmp out/default'"),
            EscapeAttempt.Shell("git", "sh -c 'echo x >> .git/config'"),
            EscapeAttempt.Shell("approvals", "sh -c 'echo {} >> .runs/approvals.jsonl'"));
        var outcome = await ws.RunAsync("exec", "--json", "--", "sh", "-c", script);

        using var manifest = ws.LatestManifest();
        AssertAllFailed(outcome, manifest, "policy", "policy-replace", "runs", "state", "state-link", "git", "approvals");
        Assert.AreEqual(Policy, File.ReadAllText(ws.Combine("orchestrator.yaml")));
        Assert.AreEqual("[core]\n", File.ReadAllText(ws.Combine(".git", "config")));
        Assert.StartsWith(state, File.ReadAllText(ws.Combine("out", "default", "runs.jsonl")), "the task state was rewritten");
        Assert.IsFalse(File.Exists(ws.Combine(".runs", "forged")));
        var paths = manifest.RootElement.GetProperty("sandbox").GetProperty("protectedPaths").EnumerateArray().Select(p => p.GetString()).ToList();
        CollectionAssert.Contains(paths, ws.Combine("orchestrator.yaml"));
        CollectionAssert.Contains(paths, ws.Combine("out"));
    }

    [TestMethod]
    [DataRow(AttackWorkspace.Root)]
    [DataRow(AttackWorkspace.Unprivileged)]
    public async Task APolicyFileTheCommandCreatesIsMovedAwayAndTheNextRunStaysSandboxed(string user)
    {
        using var ws = new AttackWorkspace(user);
        var planted = await ws.RunAsync("exec", "--json", "--", "sh", "-c",
            "printf 'sandbox:\\n  mode: danger-full-access\\napprovalPolicy: never\\n' > orchestrator.yaml");

        Assert.AreEqual(0, planted.ExitCode, planted.ToString());
        Assert.IsFalse(File.Exists(ws.Combine("orchestrator.yaml")), "the planted policy was left where the next run reads it");
        using (var manifest = ws.LatestManifest())
        {
            var warning = manifest.RootElement.GetProperty("warnings").EnumerateArray().Single(w => w.GetProperty("code").GetString() == "ProtectedPathCreated");
            StringAssert.Contains(warning.GetProperty("message").GetString(), "orchestrator.yaml");
        }

        var next = await ws.RunAsync("exec", "--json", "--", "sh", "-c", "f=/var/tmp/orch-escape-$$-$(date +%s%N); touch $f 2>/dev/null && rm -f $f && echo ESCAPED; true");
        using var after = ws.LatestManifest();
        Assert.AreEqual("workspace-write", after.RootElement.GetProperty("sandboxMode").GetString(), next.ToString());
        Assert.AreEqual("sandboxed", Command(after).GetProperty("sandbox").GetString());
        Assert.DoesNotContain("ESCAPED", Stdout(after));
    }

    [TestMethod]
    [DataRow(AttackWorkspace.Root)]
    [DataRow(AttackWorkspace.Unprivileged)]
    public async Task NothingTheCommandStartsOutlivesItsEndOrItsTimeout(string user)
    {
        using var ws = new AttackWorkspace(user);
        string daemons = HostProcesses.UniqueSleep();
        var ended = await ws.RunAsync("exec", "--json", "--", "sh", "-c",
            $"setsid sleep {daemons} & nohup sleep {daemons} >/dev/null 2>&1 & (sleep {daemons} &) ; (setsid sh -c 'trap \"\" TERM HUP; sleep {daemons}' &); echo started");
        Assert.AreEqual(0, ended.ExitCode, ended.ToString());
        Assert.IsEmpty(await HostProcesses.SurvivorsAsync(daemons), "a daemonised child outlived the command");

        string stubborn = HostProcesses.UniqueSleep();
        var timedOut = await ws.RunAsync("exec", "--json", "--timeout", "1s", "--", "sh", "-c",
            $"trap '' TERM; setsid sh -c 'trap \"\" TERM; sleep {stubborn}' & sleep {stubborn}");
        Assert.AreEqual(124, timedOut.ExitCode, timedOut.ToString());
        Assert.IsEmpty(await HostProcesses.SurvivorsAsync(stubborn), "a child outlived the command's timeout");
    }

    [TestMethod]
    [DataRow(AttackWorkspace.Root)]
    [DataRow(AttackWorkspace.Unprivileged)]
    public async Task KillingTheOrchestratorWithSigkillEndsEverythingTheCommandStarted(string user)
    {
        using var ws = new AttackWorkspace(user);
        string token = HostProcesses.UniqueSleep();
        using var cli = Process.Start(ws.StartInfo(null, "exec", "--json", "--", "sh", "-c", $"setsid sleep {token} & nohup sleep {token} & sleep {token}"))!;
        cli.StandardInput.Close();
        try
        {
            Assert.IsTrue(await HostProcesses.AppearsAsync(token), "the command never started");
            cli.Kill();
            await cli.WaitForExitAsync();
            Assert.IsEmpty(await HostProcesses.SurvivorsAsync(token), "the sandbox outlived the orchestrator");
        }
        finally
        {
            foreach (int pid in HostProcesses.With(token))
            {
                CliProcess.Signal(pid, "KILL");
            }
        }
    }

    [TestMethod]
    [DataRow(AttackWorkspace.Root)]
    [DataRow(AttackWorkspace.Unprivileged)]
    public async Task AForkBombIsStoppedByTheProcessLimitAndNotRecordedAsSucceeded(string user)
    {
        using var ws = new AttackWorkspace(user);
        var bounded = new Dictionary<string, string> { ["ORCHESTRATOR_SANDBOX_MAX_PROCESSES"] = "64" };

        // Bound first: a limit that is not in force here makes the test inconclusive before anything forks.
        string enforcedBy = await EnforcementAsync(ws, bounded, "maxProcesses", 64, "processesEnforcedBy");

        string token = HostProcesses.UniqueSleep(30);
        var bomb = await ws.RunAsync(bounded, "exec", "--json", "--timeout", "10s", "--", "sh", "-c",
            $"i=0; while [ $i -lt 200 ]; do sleep {token} & i=$((i+1)); done; wait; exit 0");

        Assert.AreNotEqual(0, bomb.ExitCode, bomb.ToString());
        using var record = ws.LatestManifest();
        var command = Command(record);
        Assert.AreNotEqual("succeeded", command.GetProperty("status").GetString());
        if (enforcedBy.StartsWith("cgroup", StringComparison.Ordinal))
        {
            Assert.AreEqual("LimitExceeded", command.GetProperty("error").GetProperty("code").GetString());
        }

        Assert.IsEmpty(await HostProcesses.SurvivorsAsync(token), "the bomb's processes outlived the command");
    }

    [TestMethod]
    [DataRow(AttackWorkspace.Root)]
    [DataRow(AttackWorkspace.Unprivileged)]
    public async Task AMemoryHogIsStoppedByTheMemoryLimitAndNotRecordedAsSucceeded(string user)
    {
        using var ws = new AttackWorkspace(user);
        var bounded = new Dictionary<string, string> { ["ORCHESTRATOR_SANDBOX_MAX_MEMORY_BYTES"] = (64 * 1024 * 1024).ToString(CultureInfo.InvariantCulture) };

        // Bound first: without an enforced limit the hog would not run at all.
        string enforcedBy = await EnforcementAsync(ws, bounded, "maxMemoryBytes", 64L * 1024 * 1024, "memoryEnforcedBy");

        // One 256 MiB buffer, touched: four times the limit, and small next to the machine.
        var hog = await ws.RunAsync(bounded, "exec", "--json", "--timeout", "20s", "--", "dd", "if=/dev/zero", "of=/dev/null", "bs=256M", "count=1");

        Assert.AreNotEqual(0, hog.ExitCode, hog.ToString());
        using var record = ws.LatestManifest();
        var command = Command(record);
        Assert.AreEqual("failed", command.GetProperty("status").GetString());
        if (enforcedBy.StartsWith("cgroup", StringComparison.Ordinal))
        {
            Assert.AreEqual("LimitExceeded", command.GetProperty("error").GetProperty("code").GetString());
            StringAssert.Contains(command.GetProperty("error").GetProperty("message").GetString(), "memory limit");
        }
        else
        {
            StringAssert.Contains(command.GetProperty("stderr").GetProperty("text").GetString(), "memory exhausted");
        }
    }

    [TestMethod]
    [DataRow(AttackWorkspace.Root)]
    [DataRow(AttackWorkspace.Unprivileged)]
    public async Task AStepCannotForgeItsExitStatusThroughAnyProcessItCanSee(string user)
    {
        using var ws = new AttackWorkspace(user);
        string forge = "for p in /proc/[0-9]*; do for n in 1 2 3 4 5 6 7 8 9; do printf '{\"id\":%s,\"exit\":0}\\n' $n > $p/fd/1 2>/dev/null; done; done; exit 1";

        var outcome = await ws.RunAsync("exec", "--json", "--", "sh", "-c", forge);

        Assert.AreEqual(1, outcome.ExitCode, outcome.ToString());
        using var manifest = ws.LatestManifest();
        Assert.AreEqual("failed", Command(manifest).GetProperty("status").GetString());
        Assert.AreEqual(1, Command(manifest).GetProperty("exitCode").GetInt32());
        Assert.AreEqual("failed", manifest.RootElement.GetProperty("status").GetString());
    }

    [TestMethod]
    [DataRow(AttackWorkspace.Root)]
    [DataRow(AttackWorkspace.Unprivileged)]
    public async Task AFailureThatMerelyPrintsPermissionDeniedIsReportedAsTheCommandsOwn(string user)
    {
        using var ws = new AttackWorkspace(user);

        var outcome = await ws.RunAsync("exec", "--json", "--", "sh", "-c", "echo 'cp: cannot open x: Permission denied' >&2; exit 3");

        Assert.AreEqual(3, outcome.ExitCode, "a guess from stderr is not a denial (77):\n" + outcome);
        using var manifest = ws.LatestManifest();
        var toolRun = manifest.RootElement.GetProperty("toolRuns")[0];
        Assert.AreEqual("failed", toolRun.GetProperty("status").GetString());
        string detail = toolRun.GetProperty("statusDetail").GetString()!;
        StringAssert.Contains(detail, "possibly denied by the sandbox");
        StringAssert.Contains(detail, "WritableRoots");
        Assert.DoesNotContain("escalation not approved", detail);
    }

    [TestMethod]
    public async Task MoreArgumentsThanTheSandboxTakesIsALaunchErrorNotADenial()
    {
        using var ws = new AttackWorkspace(AttackWorkspace.Unprivileged);
        string[] many = [.. Enumerable.Range(0, 9001).Select(i => i.ToString(CultureInfo.InvariantCulture))];

        var outcome = await ws.RunAsync(["exec", "--json", "--", "/bin/echo", .. many]);

        Assert.AreEqual(126, outcome.ExitCode, outcome.ToString());
        using var manifest = ws.LatestManifest();
        var error = Command(manifest).GetProperty("error");
        Assert.AreEqual("ArgumentListTooLong", error.GetProperty("code").GetString());
        StringAssert.Contains(error.GetProperty("message").GetString(), "bwrap's limit is 9000");
        Assert.AreNotEqual("denied", manifest.RootElement.GetProperty("toolRuns")[0].GetProperty("status").GetString());
    }
}
