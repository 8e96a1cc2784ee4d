using System.Diagnostics;
using Orchestrator.Tasks.Tests.Support;
using Orchestrator.Tests.Shared;

namespace Orchestrator.Tasks.Tests;

/// <summary>
/// The sandbox's promises through the MSBuild door: `dotnet msbuild -t:OrchestratorExec` of an
/// attack, as root and as an unprivileged user (uid 65534), must not escape, and the record says
/// what happened. Nothing is written outside the test's temp folders.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class SandboxEscapeTests
{
    [ClassInitialize]
    public static async Task PrepareConsumerAsync(TestContext _) => await ConsumerProject.PrepareAsync();

    [TestMethod]
    [DataRow("root")]
    [DataRow("unprivileged")]
    public async Task AnAttackThroughOrchestratorExecFailsAndTheRecordSaysSandboxed(string user)
    {
        bool root = Environment.UserName == "root";
        if (user == "root" && !root)
        {
            Assert.Inconclusive("the root case needs root (CI runs as root)");
        }

        string token = HostProcesses.UniqueSleep();
        // The task state lands in "out" beside the runs root: both inside this test's own folder.
        string home = Directory.CreateTempSubdirectory("orch-escape-").FullName;
        string runsRoot = Path.Combine(home, "runs");
        Directory.CreateDirectory(runsRoot);
        try
        {
            string script = string.Join("\n",
                "grep CapEff /proc/self/status",
                EscapeAttempt.Shell("remount", "mount -o remount,rw /"),
                EscapeAttempt.Shell("umount", $"umount {runsRoot}"),
                EscapeAttempt.Shell("nsenter", "nsenter -t 1 -m -n true"),
                EscapeAttempt.Shell("kill", $"kill -0 {Environment.ProcessId}"),
                EscapeAttempt.Shell("records", $"sh -c 'echo x > {runsRoot}/forged'"),
                $"setsid sleep {token} >/dev/null 2>&1 &",
                "echo done");
            await File.WriteAllTextAsync(Path.Combine(home, "attack.sh"), script + "\n");
            var args = new List<string>
            {
                "msbuild", "Consumer.csproj", "-t:OrchestratorExec", "-nologo", "-v:m", "-nodeReuse:false",
                "-p:OrchestratorRunsRoot=" + runsRoot,
                "-p:OrchestratorScriptFile=" + Path.Combine(home, "attack.sh"),
                "-p:OrchestratorStandardOutputImportance=high",
            };
            var environment = new Dictionary<string, string?> { ["HOME"] = home, ["DOTNET_CLI_HOME"] = home };
            ProcessResult result;
            if (user == "unprivileged" && root)
            {
                OpenTo65534(ConsumerProject.Directory!, home);
                result = await Dotnet.RunAsync(ConsumerProject.Directory!, ["--reuid=65534", "--regid=65534", "--clear-groups", "--", "dotnet", .. args], environment, program: "setpriv");
            }
            else
            {
                result = await Dotnet.RunAsync(ConsumerProject.Directory!, args, environment);
            }

            Assert.AreEqual(0, result.ExitCode, result.ToString());
            StringAssert.Contains(result.Stdout, "CapEff:\t0000000000000000", result.ToString());
            foreach (string name in new[] { "remount", "umount", "nsenter", "kill", "records" })
            {
                StringAssert.Contains(result.Stdout, EscapeAttempt.TriedPrefix + name, result.ToString());
            }

            Assert.DoesNotContain(EscapeAttempt.EscapedPrefix, result.Stdout, result.ToString());
            Assert.IsFalse(File.Exists(Path.Combine(runsRoot, "forged")));
            using var manifest = RunFiles.ReadManifest(ConsumerProject.Manifests(runsRoot).Single());
            Assert.AreEqual("sandboxed", manifest.RootElement.GetProperty("commands")[0].GetProperty("sandbox").GetString());
            Assert.IsEmpty(await HostProcesses.SurvivorsAsync(token), "a daemon the command started outlived the build");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>The consumer (read and traverse) and the test's folder with the runs root (write) for uid 65534.</summary>
    private static void OpenTo65534(string consumer, string home)
    {
        Run("chmod", "-R", "a+rX", Path.GetDirectoryName(consumer)!);
        Run("chown", "-R", "65534:65534", home);
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, $"{program} {string.Join(' ', args)} failed");
    }
}
