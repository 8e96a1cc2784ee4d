using System.Globalization;
using System.Text.RegularExpressions;
using Orchestrator.Cake.Tests.Support;

namespace Orchestrator.Cake.Tests;

/// <summary>
/// One core decides, the doors only render: the same command run through the CLI, an MSBuild
/// consumer (`OrchestratorExec`) and a Cake script (`OrchestratorExec` alias) fails with the same
/// ORCH code and the same text in all three (everything before "Manifest:", which names each run).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed partial class DoorAgreementTests
{
    [ClassInitialize]
    public static async Task PrepareAsync(TestContext _)
    {
        await CakeScript.WorkspaceAsync();
        await ConsumerProject.PrepareAsync();
    }

    private static string CliPath => Path.Combine(CakeScript.RepositoryRoot, "src", "Cli", "bin", CakeScript.Configuration, "net10.0", "orchestrator");

    [TestMethod]
    [DataRow("exit 3", 0, "ORCH0100", DisplayName = "a non-zero exit code")]
    // In the sandbox bwrap passes a death by SIGSEGV on as exit code 139: the same in every door.
    [DataRow("kill -SEGV $$", 0, "ORCH0100", DisplayName = "a death by a signal")]
    [DataRow("sleep 30", 1000, "ORCH0101", DisplayName = "a timeout")]
    [DataRow("echo 'cp: x: Permission denied' >&2; exit 5", 0, "ORCH0100", DisplayName = "a guessed sandbox refusal")]
    public async Task EveryDoorReportsTheSameCodeAndText(string body, int timeoutMs, string code)
    {
        // Outside the private /tmp of the sandbox, so the script is visible inside it.
        string folder = Directory.CreateDirectory(Path.Combine("/var/tmp", $"orch-agree-{Guid.NewGuid():N}")).FullName;
        try
        {
            string script = Path.Combine(folder, "step.sh");
            await File.WriteAllTextAsync(script, body + "\n");
            string timeout = timeoutMs.ToString(CultureInfo.InvariantCulture);

            string cli = await CliAsync(folder, script, timeoutMs);
            string msbuild = await MSBuildAsync(folder, script, timeout);
            string cake = await CakeAsync(folder, script, timeout);

            Assert.AreEqual(code, cli.Split(':')[0], "the CLI's code");
            Assert.AreEqual(cli, msbuild, "MSBuild and the CLI disagree");
            Assert.AreEqual(cli, cake, "Cake and the CLI disagree");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public async Task IgnoreExitCodeAcceptsADeathByASignalInMSBuildAndCakeAlike()
    {
        string folder = Directory.CreateDirectory(Path.Combine("/var/tmp", $"orch-agree-{Guid.NewGuid():N}")).FullName;
        try
        {
            string script = Path.Combine(folder, "step.sh");
            await File.WriteAllTextAsync(script, "kill -SEGV $$\n");

            // Unsandboxed, so the command really dies by a signal (in the sandbox bwrap makes it exit code 139).
            var unsandboxed = new Dictionary<string, string?> { ["ORCHESTRATOR_SANDBOX"] = "danger-full-access" };
            var (msbuildResult, _) = await ConsumerProject.MSBuildAsync("RunAgreement",
                new Dictionary<string, string> { ["Script"] = script, ["AgreeIgnoreExitCode"] = "true" }, runsRoot: Path.Combine(folder, "msbuild"), environment: unsandboxed);
            var cakeResult = await CakeScript.RunAsync("exec-agreement.cake",
                new Dictionary<string, string> { ["script"] = script, ["runs-root"] = Path.Combine(folder, "cake"), ["ignore-exit-code"] = "true" }, unsandboxed);

            Assert.AreEqual(0, msbuildResult.ExitCode, msbuildResult.ToString());
            Assert.DoesNotContain("CAKE-ERROR", cakeResult.Stdout, "Cake threw where MSBuild passed: " + cakeResult);
            string msbuild = Message(msbuildResult.Stdout, "ORCH1002", Path.Combine(folder, "msbuild"));
            StringAssert.Contains(msbuild, "exited with code 139 (ignored: IgnoreExitCode is true)");
            Assert.AreEqual(msbuild, Message(cakeResult.Stdout, "ORCH1002", Path.Combine(folder, "cake")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    [DataRow("guardrails", "ORCH0112", DisplayName = "guardrails that recommend fail")]
    [DataRow("ci", "ORCH0110", DisplayName = "a pipeline whose step fails")]
    public async Task EveryDoorReportsAFailedPipelineWithTheSameCodeAndText(string pipeline, string code)
    {
        // The fixture repository: its own git root and orchestrator.yaml, whose lint guardrail and
        // whose "ci" pipeline's second step fail. Each door runs it with that file as its configuration.
        string repo = await CakeScript.FixtureRepositoryAsync("guardrails");
        string config = Path.Combine(repo, "orchestrator.yaml");

        var cli = await Dotnet.RunAsync(repo, ["start", pipeline, "--task", "guard", "--runs-root", Path.Combine(repo, "cli-runs")], program: CliPath);
        var (msbuild, _) = await ConsumerProject.MSBuildAsync(pipeline == "guardrails" ? "OrchestratorGuardrails" : "OrchestratorPipeline",
            new Dictionary<string, string> { ["OrchestratorConfigFile"] = config, ["OrchestratorPipelineName"] = pipeline, ["OrchestratorTaskId"] = "guard" },
            runsRoot: Path.Combine(repo, "msbuild-runs"));
        var cake = await CakeScript.RunInAsync(repo, "guardrails.cake", new Dictionary<string, string>
        {
            ["target"] = pipeline == "guardrails" ? "Guardrails" : "Pipeline",
            ["pipeline"] = pipeline,
        });

        Assert.AreNotEqual(0, cli.ExitCode, cli.ToString());
        Assert.AreNotEqual(0, msbuild.ExitCode, msbuild.ToString());
        Assert.AreNotEqual(0, cake.ExitCode, cake.ToString());
        string fromCli = WithoutRunIds(Message(cli.Stderr, code, repo));
        Assert.AreEqual(fromCli, WithoutRunIds(Message(msbuild.Stdout, code, repo)), "MSBuild and the CLI disagree");
        Assert.AreEqual(fromCli, WithoutRunIds(Message(cake.Output, code, repo)), "Cake and the CLI disagree");
    }

    // A resume token names its run; everything else must read the same.
    private static string WithoutRunIds(string message) => ResumeToken().Replace(message, "Resume token: <token>");

    private static async Task<string> CliAsync(string folder, string script, int timeoutMs)
    {
        var args = new List<string> { "exec", "--jsonl", "--runs-root", Path.Combine(folder, "cli") };
        if (timeoutMs > 0)
        {
            args.AddRange(["--timeout", $"{timeoutMs}ms"]);
        }

        args.AddRange(["--", "sh", "-c", ". " + script]);
        var result = await Dotnet.RunAsync(folder, args, program: CliPath);
        return Message(result.Stderr, null, Path.Combine(folder, "cli"));
    }

    private static async Task<string> MSBuildAsync(string folder, string script, string timeoutMs)
    {
        var (result, _) = await ConsumerProject.MSBuildAsync("RunAgreement",
            new Dictionary<string, string> { ["Script"] = script, ["AgreeTimeout"] = timeoutMs == "0" ? "" : timeoutMs }, runsRoot: Path.Combine(folder, "msbuild"));
        return Message(result.Stdout, null, Path.Combine(folder, "msbuild"));
    }

    private static async Task<string> CakeAsync(string folder, string script, string timeoutMs)
    {
        var result = await CakeScript.RunAsync("exec-agreement.cake",
            new Dictionary<string, string> { ["script"] = script, ["runs-root"] = Path.Combine(folder, "cake"), ["timeout-ms"] = timeoutMs });
        return Message(result.Stdout, null, Path.Combine(folder, "cake"));
    }

    /// <summary>
    /// The first <c>ORCHnnnn: text</c> in a door's output (of one code, if given), up to the
    /// run-specific manifest path, with the door's own runs root (named by approval hints) as &lt;runs&gt;.
    /// </summary>
    private static string Message(string output, string? code, string runsRoot)
    {
        var match = OrchMessage().Matches(output).FirstOrDefault(m => code is null || m.Groups["code"].Value == code);
        Assert.IsNotNull(match, $"no {code ?? "ORCH"} message in:\n{output}");
        return $"{match.Groups["code"].Value}: {match.Groups["text"].Value}".Replace(runsRoot, "<runs>", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?<code>ORCH\d{4}): (?<text>.*?) Manifest: ")]
    private static partial Regex OrchMessage();

    [GeneratedRegex(@"Resume token: \S+")]
    private static partial Regex ResumeToken();
}
