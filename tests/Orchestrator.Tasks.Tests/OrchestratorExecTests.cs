using System.Diagnostics;
using System.Text.Json;
using Orchestrator.Tasks.Tests.Support;
using Orchestrator.Tests.Shared;

namespace Orchestrator.Tasks.Tests;

/// <summary>OrchestratorExec driven by real `dotnet msbuild` builds of a project that references the package.</summary>
[TestClass]
public sealed class OrchestratorExecTests
{
    [ClassInitialize]
    public static async Task PrepareConsumerAsync(TestContext _) => await ConsumerProject.PrepareAsync();

    private static Dictionary<string, string> Props(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [TestMethod]
    public async Task ASucceedingCommandLogsItsOutputAndLeavesAValidManifest()
    {
        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec", Props(("OrchestratorCommand", "echo hello-from-build && echo warn-line >&2"), ("OrchestratorTaskId", "exec-ok")));

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Stdout, "hello-from-build");
        StringAssert.Contains(result.Stdout, "warn-line");
        string manifest = ConsumerProject.Manifests(runs).Single();
        StringAssert.StartsWith(manifest, Path.Combine(runs, "exec-ok", "cli") + "/");
        RunFiles.AssertValidRun(manifest);
        using var doc = RunFiles.ReadManifest(manifest);
        Assert.AreEqual("msbuild", doc.RootElement.GetProperty("runner").GetString());
        Assert.AreEqual("succeeded", doc.RootElement.GetProperty("status").GetString());
        Assert.AreEqual(ConsumerProject.Directory, doc.RootElement.GetProperty("commands")[0].GetProperty("cwd").GetString());
    }

    [TestMethod]
    public async Task OutputReachesTheBuildLogLiveNotAtTheEnd()
    {
        string project = await ConsumerProject.PrepareAsync();
        string runs = Directory.CreateTempSubdirectory("orch-runs-").FullName;
        var info = Dotnet.StartInfo(project,
        [
            "msbuild", "Consumer.csproj", "-t:OrchestratorExec", "-nologo", "-v:m", "-nodeReuse:false",
            "-p:OrchestratorRunsRoot=" + runs, "-p:OrchestratorCommand=echo first-line && sleep 4 && echo second-line",
        ]);
        using var process = new Process { StartInfo = info };
        var seen = new Dictionary<string, TimeSpan>();
        var clock = Stopwatch.StartNew();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (seen)
            {
                foreach (string marker in new[] { "first-line", "second-line" })
                {
                    if (e.Data.Contains(marker, StringComparison.Ordinal))
                    {
                        seen.TryAdd(marker, clock.Elapsed);
                    }
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync();

        Assert.AreEqual(0, process.ExitCode);
        Assert.IsTrue(seen.ContainsKey("first-line") && seen.ContainsKey("second-line"), "both lines must be logged");
        Assert.IsTrue(seen["second-line"] - seen["first-line"] > TimeSpan.FromSeconds(2),
            $"the first line arrived only {(seen["second-line"] - seen["first-line"]).TotalSeconds:0.0} s before the second: it was not logged live");
    }

    [TestMethod]
    public async Task AFailingCommandIsAnOrchErrorNamingTheManifest()
    {
        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec", Props(("OrchestratorCommand", "echo about-to-fail && exit 5")));

        Assert.AreNotEqual(0, result.ExitCode);
        string manifest = ConsumerProject.Manifests(runs).Single();
        StringAssert.Contains(result.Stdout, "error ORCH0100");
        StringAssert.Contains(result.Stdout, "exited with code 5");
        StringAssert.Contains(result.Stdout, manifest);
        RunFiles.AssertValidRun(manifest);
        using var doc = RunFiles.ReadManifest(manifest);
        Assert.AreEqual("failed", doc.RootElement.GetProperty("status").GetString());
        Assert.AreEqual(5, doc.RootElement.GetProperty("exitCode").GetInt32());
    }

    [TestMethod]
    public async Task IgnoreExitCodeKeepsTheBuildGreenAndOutputsFlowBack()
    {
        var (result, runs) = await ConsumerProject.MSBuildAsync("RunWithOutputs");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        string manifest = ConsumerProject.Manifests(runs).Single();
        string runId = Path.GetFileName(Path.GetDirectoryName(manifest))!;
        StringAssert.Contains(result.Stdout, $"OUT-EXIT=3 STATUS=failed RUNID={runId} LINES=[one; two]");
        Assert.IsFalse(result.Stdout.Contains("error", StringComparison.OrdinalIgnoreCase), result.ToString());
    }

    [TestMethod]
    public async Task ArgvItemsPassSemicolonsCommasAndSpacesVerbatim()
    {
        var (result, runs) = await ConsumerProject.MSBuildAsync("RunArgv");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Stdout, "[a;b]");
        StringAssert.Contains(result.Stdout, "[c,d]");
        StringAssert.Contains(result.Stdout, "[with space]");
        StringAssert.Contains(result.Stdout, "ARGV-EXIT=0");
        RunFiles.AssertValidRun(ConsumerProject.Manifests(runs).Single());
    }

    [TestMethod]
    public async Task AScriptFileAvoidsCommandLineEscapingEntirely()
    {
        using var dir = new TempDirectory();
        string script = dir.Combine("build step.sh");
        await File.WriteAllTextAsync(script, "echo \"script sees: $1; $2\"\nexit 0\n");
        var (result, _) = await ConsumerProject.MSBuildAsync("OrchestratorExec", Props(("OrchestratorScriptFile", script)));

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Stdout, "script sees: ; ");
    }

    [TestMethod]
    public async Task AnUnknownProgramInAShellLineFailsWithTheShellsMessage()
    {
        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec", Props(("OrchestratorCommand", "no-such-tool-orch --version")));

        Assert.AreNotEqual(0, result.ExitCode);
        StringAssert.Contains(result.Stdout, "ORCH0100", "the shell reports 127 for an unknown program");
        StringAssert.Contains(result.Stdout, "127");
        StringAssert.Contains(result.Stdout, "no-such-tool-orch");
        RunFiles.AssertValidRun(ConsumerProject.Manifests(runs).Single());
    }

    [TestMethod]
    public async Task AnUnknownProgramInAnArgvIsAnOrchStartError()
    {
        var (result, runs) = await ConsumerProject.MSBuildAsync("RunUnknownProgram");

        Assert.AreNotEqual(0, result.ExitCode);
        StringAssert.Contains(result.Stdout, "error ORCH0103");
        StringAssert.Contains(result.Stdout, "'no-such-tool-orch' was not found on PATH");
        RunFiles.AssertValidRun(ConsumerProject.Manifests(runs).Single());
    }

    [TestMethod]
    public async Task AMissingWorkingDirectoryIsAClearStartError()
    {
        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "true"), ("OrchestratorWorkingDirectory", "/nonexistent/orch-cwd")));

        Assert.AreNotEqual(0, result.ExitCode);
        StringAssert.Contains(result.Stdout, "error ORCH0103");
        StringAssert.Contains(result.Stdout, "/nonexistent/orch-cwd");
        RunFiles.AssertValidRun(ConsumerProject.Manifests(runs).Single());
    }

    [TestMethod]
    public async Task ATaskIdThatEscapesTheRunsRootIsRejectedAndNothingIsCreated()
    {
        using var dir = new TempDirectory();
        string runs = dir.Combine("runs");
        var (result, _) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "true"), ("OrchestratorTaskId", "../../etc")), runsRoot: runs);

        Assert.AreNotEqual(0, result.ExitCode);
        StringAssert.Contains(result.Stdout, "error ORCH0001");
        StringAssert.Contains(result.Stdout, "../../etc");
        Assert.AreEqual(0, Directory.GetFileSystemEntries(dir.Path).Length, "nothing may be created");
    }

    [TestMethod]
    public async Task AReadOnlyRunsRootIsAClearOrchError()
    {
        using var dir = new TempDirectory();
        string readOnly = dir.Combine("ro");
        Directory.CreateDirectory(readOnly);
        string runs = Path.Combine(readOnly, "runs");
        ProcessResult result;
        if (Environment.UserName == "root")
        {
            // root ignores permission bits: make the directory a read-only bind mount instead.
            string project = await ConsumerProject.PrepareAsync();
            Assert.IsTrue(File.Exists("/usr/bin/bwrap"), "bubblewrap is required (apt-get install -y bubblewrap)");
            result = await Dotnet.RunAsync(project,
            [
                "--bind", "/", "/", "--dev-bind", "/dev", "/dev", "--proc", "/proc", "--ro-bind", readOnly, readOnly,
                "dotnet", "msbuild", "Consumer.csproj", "-t:OrchestratorExec", "-nologo", "-v:m", "-nodeReuse:false",
                "-p:OrchestratorRunsRoot=" + runs, "-p:OrchestratorCommand=true",
            ], program: "bwrap");
        }
        else
        {
            File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            (result, _) = await ConsumerProject.MSBuildAsync("OrchestratorExec", Props(("OrchestratorCommand", "true")), runsRoot: runs);
        }

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Stdout, "error ORCH0002");
        StringAssert.Contains(result.Stdout, runs);
    }

    [TestMethod]
    public async Task ATimeoutEndsTheCommandAndFailsTheBuild()
    {
        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "sleep 300"), ("OrchestratorTimeout", "500"), ("OrchestratorKillGracePeriod", "200")));

        Assert.AreNotEqual(0, result.ExitCode);
        StringAssert.Contains(result.Stdout, "error ORCH0101");
        using var doc = RunFiles.ReadManifest(ConsumerProject.Manifests(runs).Single());
        Assert.AreEqual("timed_out", doc.RootElement.GetProperty("commands")[0].GetProperty("status").GetString());
    }

    [TestMethod]
    public async Task TheTimeoutTakesADurationAsTheCliAndYamlDoAndPlainMillisecondsAsExecDoes()
    {
        var (withUnit, _) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "sleep 300"), ("OrchestratorTimeout", "1s"), ("OrchestratorKillGracePeriod", "200")));
        var (plain, _) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "sleep 300"), ("OrchestratorTimeout", "700"), ("OrchestratorKillGracePeriod", "200")));
        var (bad, badRuns) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "true"), ("OrchestratorTimeout", "soon")));

        StringAssert.Contains(withUnit.Stdout, "error ORCH0101: The command \"sleep 300\" timed out after 1000 ms");
        StringAssert.Contains(plain.Stdout, "error ORCH0101: The command \"sleep 300\" timed out after 700 ms");
        StringAssert.Contains(bad.Stdout, "error ORCH0006: Invalid value \"soon\" for parameter Timeout: not a duration");
        Assert.IsEmpty(ConsumerProject.Manifests(badRuns), "nothing runs with a bad timeout");
    }

    [TestMethod]
    public async Task ABackgroundChildHoldingStdoutDoesNotHangTheBuild()
    {
        // Unsandboxed: a sandboxed command's background children end with it (its PID namespace),
        // so only outside the sandbox can a child keep the output open after the main process.
        string pidFile = Path.Combine(await ConsumerProject.PrepareAsync(), $"bg-{Guid.NewGuid():N}.pid");
        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", $"(sleep 120) & echo $! > {pidFile} && echo main-done"), ("OrchestratorSandboxMode", "danger-full-access")),
            timeout: TimeSpan.FromSeconds(90));

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Stdout, "main-done");
        StringAssert.Contains(result.Stdout, "warning ORCH1001");
        using var doc = RunFiles.ReadManifest(ConsumerProject.Manifests(runs).Single());
        Assert.IsTrue(doc.RootElement.GetProperty("commands")[0].GetProperty("outputDrainTimedOut").GetBoolean());
        if (int.TryParse(File.ReadAllText(pidFile).Trim(), out int pid))
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
            }
        }
    }

    [TestMethod]
    public async Task CancellingTheBuildKillsTheChildTreeAndMarksTheManifestCancelled()
    {
        string project = await ConsumerProject.PrepareAsync();
        using var dir = new TempDirectory();
        string runs = dir.Combine("runs");
        string pidFile = Path.Combine(project, $"child-{Guid.NewGuid():N}.pid");
        string sleep = HostProcesses.UniqueSleep();
        var info = Dotnet.StartInfo(project,
        [
            "msbuild", "Consumer.csproj", "-t:OrchestratorExec", "-nologo", "-v:m", "-nodeReuse:false",
            "-p:OrchestratorRunsRoot=" + runs, $"-p:OrchestratorCommand=sleep {sleep} & echo $! > {pidFile} && wait",
        ]);
        using var build = new Process { StartInfo = info };
        build.Start();
        build.BeginOutputReadLine();
        build.BeginErrorReadLine();

        for (int i = 0; i < 600 && !File.Exists(pidFile); i++)
        {
            await Task.Delay(50);
        }

        Assert.IsTrue(File.Exists(pidFile), "the command never started");
        await Task.Delay(300);
        Assert.IsNotEmpty(HostProcesses.With(sleep), "the command's child is not running");
        Assert.AreEqual(0, Native.Kill(build.Id, Native.SIGINT));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await build.WaitForExitAsync(cts.Token);

        Assert.AreNotEqual(0, build.ExitCode);
        string manifest = ConsumerProject.Manifests(runs).Single();
        using var doc = RunFiles.ReadManifest(manifest);
        Assert.AreEqual("cancelled", doc.RootElement.GetProperty("status").GetString());
        Assert.AreEqual("cancelled", doc.RootElement.GetProperty("commands")[0].GetProperty("status").GetString());
        RunFiles.AssertValidRun(manifest);

        // The pid the command printed is one of its own PID namespace: find the child by its argument.
        Assert.IsEmpty(await HostProcesses.SurvivorsAsync(sleep), "the command's child survived the cancelled build");
    }

    [TestMethod]
    public async Task ParallelProjectsOfOneBuildWriteTheSameTaskIdSafely()
    {
        var (result, runs) = await ConsumerProject.MSBuildAsync("RunParallel", Props(("OrchestratorTaskId", "parallel")), extraArgs: ["-m:4"]);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        string[] manifests = ConsumerProject.Manifests(runs);
        Assert.AreEqual(4, manifests.Length);
        var instances = new HashSet<string>();
        foreach (string manifest in manifests)
        {
            RunFiles.AssertValidRun(manifest);
            using var doc = RunFiles.ReadManifest(manifest);
            string text = doc.RootElement.GetProperty("commands")[0].GetProperty("stdout").GetProperty("text").GetString()!;
            string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.AreEqual(10, lines.Length, text);
            string instance = lines[0].Split("-line-")[0];
            Assert.IsTrue(lines.All(l => l.StartsWith(instance + "-line-", StringComparison.Ordinal)), "lines of different builds interleaved: " + text);
            instances.Add(instance);
        }

        Assert.AreEqual(4, instances.Count);
    }

    [TestMethod]
    public async Task TwoBuildsWritingTheSameTaskIdConcurrentlyBothComplete()
    {
        using var dir = new TempDirectory();
        string runs = dir.Combine("runs");
        var builds = Enumerable.Range(1, 2).Select(i => ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", $"for i in 1 2 3 4 5 6 7 8 9 10%3B do echo build{i}-$i%3B sleep 0.05%3B done"), ("OrchestratorTaskId", "same")),
            runsRoot: runs)).ToList();
        var results = await Task.WhenAll(builds);

        Assert.IsTrue(results.All(r => r.Result.ExitCode == 0), string.Join("\n", results.Select(r => r.Result.ToString())));
        string[] manifests = ConsumerProject.Manifests(runs);
        Assert.AreEqual(2, manifests.Length);
        foreach (string manifest in manifests)
        {
            RunFiles.AssertValidRun(manifest);
        }
    }

    [TestMethod]
    public async Task TheTaskAlsoRunsInATaskHost()
    {
        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "echo from-task-host"), ("OrchestratorTaskFactory", "TaskHostFactory")));

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Stdout, "from-task-host");
        RunFiles.AssertValidRun(ConsumerProject.Manifests(runs).Single());
    }

    [TestMethod]
    public async Task OrchestratorEnabledFalseTurnsItOff()
    {
        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "echo should-not-run"), ("OrchestratorEnabled", "false")));

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.IsFalse(result.Stdout.Contains("should-not-run", StringComparison.Ordinal));
        Assert.AreEqual(0, ConsumerProject.Manifests(runs).Length);
    }

    [TestMethod]
    public async Task BadParametersAreOrchErrors()
    {
        var (noCommand, _) = await ConsumerProject.MSBuildAsync("OrchestratorExec");
        StringAssert.Contains(noCommand.Stdout, "error ORCH0003");

        var (badEnv, _) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "true"), ("OrchestratorEnvironmentVariables", "NOEQUALS")));
        StringAssert.Contains(badEnv.Stdout, "error ORCH0005");

        var (badImportance, _) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "true"), ("OrchestratorStandardOutputImportance", "Loud")));
        StringAssert.Contains(badImportance.Stdout, "error ORCH0006");
    }

    [TestMethod]
    public async Task EnvironmentVariablesReachTheCommandAndSecretsStayOutOfTheManifest()
    {
        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "echo value=$PLAIN_VALUE"), ("OrchestratorEnvironmentVariables", "\"PLAIN_VALUE=visible;DEPLOY_TOKEN=hunter2\"")));

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Stdout, "value=visible");
        string manifest = await File.ReadAllTextAsync(ConsumerProject.Manifests(runs).Single());
        Assert.IsFalse(manifest.Contains("hunter2", StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(manifest);
        Assert.AreEqual("***", doc.RootElement.GetProperty("commands")[0].GetProperty("env").GetProperty("DEPLOY_TOKEN").GetString());
    }

    [TestMethod]
    public async Task SessionAndPtyParametersRunCommandsInOneShellAndOnATerminal()
    {
        var (result, runs) = await ConsumerProject.MSBuildAsync("RunInSession", Props(("OrchestratorTaskId", "sessions")));

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        string first = System.Text.RegularExpressions.Regex.Match(result.Stdout, @"first-pid=(\d+)").Groups[1].Value;
        // The shell's state carries over; each command starts in the project directory, as Exec's do.
        StringAssert.Contains(result.Stdout, $"second-pid={first} step=one dir={ConsumerProject.Directory}");
        StringAssert.Contains(result.Stdout, "pty=yes");
        StringAssert.Contains(result.Stdout, "size=22 99");
        Assert.AreEqual(3, ConsumerProject.Manifests(runs).Length);
        foreach (string manifest in ConsumerProject.Manifests(runs))
        {
            RunFiles.AssertValidRun(manifest);
        }
    }

    [TestMethod]
    public async Task ASecretEchoedByTheCommandIsMaskedInTheBuildLog()
    {
        var (result, runs) = await ConsumerProject.MSBuildAsync("OrchestratorExec",
            Props(("OrchestratorCommand", "echo token=$DEPLOY_TOKEN"), ("OrchestratorEnvironmentVariables", "DEPLOY_TOKEN=hunter2-long-secret"), ("OrchestratorStandardOutputImportance", "high")));

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Stdout, "token=***");
        Assert.IsFalse(result.Stdout.Contains("hunter2-long-secret", StringComparison.Ordinal));
        foreach (string file in System.IO.Directory.EnumerateFiles(runs, "*", SearchOption.AllDirectories))
        {
            Assert.IsFalse((await File.ReadAllTextAsync(file)).Contains("hunter2-long-secret", StringComparison.Ordinal), file);
        }
    }
}
