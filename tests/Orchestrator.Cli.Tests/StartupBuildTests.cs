using System.Text;
using System.Text.Json;
using Orchestrator.Cli.Tests.Support;

namespace Orchestrator.Cli.Tests;

/// <summary>
/// The start-up build (docs/cli.md#start-up: self-contained, the framework trimmed, one composite
/// ReadyToRun image) is published once and driven as a user would drive it. The trimmer decides
/// what of the framework that build keeps, so every door into the framework the CLI has — the
/// sandbox, YAML configuration, regular expressions, OpenSSL, HTTP for telemetry and notifications,
/// the full command-line parser — is exercised here, not only in the ordinary build.
/// </summary>
[TestClass]
[DoNotParallelize] // builds the Release configuration, as ToolPackageTests does: never at the same time
public sealed class StartupBuildTests
{
    private static TempDirectory? s_publish;

    private static string Cli => s_publish!.Combine("orchestrator");

    [ClassInitialize]
    public static async Task PublishAsync(TestContext context)
    {
        s_publish = new TempDirectory();
        var publish = await CliProcess.RunDotnetAsync(CliProcess.RepositoryRoot, "publish", Path.Combine(CliProcess.RepositoryRoot, "src", "Cli"),
            "-c", "Release", "-r", "linux-x64", "-p:OrchestratorSelfContained=true", "-o", s_publish.Path, "-nologo", "-v:q");
        Assert.AreEqual(0, publish.ExitCode, $"dotnet publish of the start-up build failed\n{publish}");
    }

    [ClassCleanup]
    public static void DeletePublish() => s_publish?.Dispose();

    [TestMethod]
    public void TheBuildIsOneCompositeImageWithTheRuntimeAndWithoutTheLttngProvider()
    {
        Assert.IsTrue(File.Exists(s_publish!.Combine("orchestrator.r2r.dll")), "the composite ReadyToRun image");
        Assert.IsTrue(File.Exists(s_publish!.Combine("libcoreclr.so")), "the runtime travels with the build");
        Assert.IsFalse(File.Exists(s_publish!.Combine("libcoreclrtraceptprovider.so")), "the LTTng provider is left out");
        using var config = JsonDocument.Parse(File.ReadAllBytes(s_publish!.Combine("orchestrator.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.IsFalse(properties.GetProperty("System.Diagnostics.Tracing.EventSource.IsSupported").GetBoolean());
        Assert.IsTrue(properties.GetProperty("System.Globalization.Invariant").GetBoolean());
    }

    [TestMethod]
    public async Task OnACpuWithoutAvx2TheBuildStillWorksAndSaysWhyItIsSlow()
    {
        using var dir = new TempDirectory();
        const string Hint = "-p:OrchestratorInstructionSet=";

        var usual = await CliProcess.RunAsync(CliProcess.StartInfo(dir.Path, ["--version"], program: Cli));
        Assert.AreEqual(0, usual.ExitCode, usual.ToString());
        Assert.AreEqual("", usual.Stderr, "no warning where the precompiled code runs");

        // The runtime's own switch hides AVX2 from everything in the process, as an older CPU would.
        var withoutAvx2 = new Dictionary<string, string> { ["DOTNET_EnableAVX2"] = "0" };
        var version = await CliProcess.RunAsync(CliProcess.StartInfo(dir.Path, ["--version"], withoutAvx2, program: Cli));
        Assert.AreEqual(0, version.ExitCode, version.ToString());
        StringAssert.Contains(version.Stderr, "orchestrator: warning:");
        StringAssert.Contains(version.Stderr, Hint);

        var exec = await CliProcess.RunAsync(CliProcess.StartInfo(dir.Path, ["exec", "--json", "--", "true"], withoutAvx2, program: Cli));
        Assert.AreEqual(0, exec.ExitCode, exec.ToString());
        using var summary = JsonDocument.Parse(exec.Stdout);
        Assert.AreEqual("succeeded", summary.RootElement.GetProperty("status").GetString());
    }

    [TestMethod]
    public async Task ASandboxedCommandRunsIsRecordedAndVerifies()
    {
        using var dir = new TempDirectory();

        var outcome = await CliProcess.RunAsync(CliProcess.StartInfo(dir.Path, ["exec", "--jsonl", "--", "sh", "-c", "echo out; echo err >&2; exit 3"], program: Cli));

        Assert.AreEqual(3, outcome.ExitCode, outcome.ToString());
        var events = RunRecords.ParseJsonl(outcome.StdoutLines);
        Assert.AreEqual("run:begin", events[0].Type);
        Assert.AreEqual("run:summary", events[^1].Type);
        string manifestPath = RunRecords.ManifestPathOf(events);
        using (var manifest = RunRecords.AssertValidManifest(manifestPath))
        {
            var command = manifest.RootElement.GetProperty("commands").EnumerateArray().Single();
            Assert.AreEqual("failed", command.GetProperty("status").GetString());
            Assert.AreEqual("out\n", command.GetProperty("stdout").GetProperty("text").GetString());
            Assert.AreEqual("err\n", command.GetProperty("stderr").GetProperty("text").GetString());
            Assert.AreEqual("sandboxed", manifest.RootElement.GetProperty("toolRuns").EnumerateArray().Single().GetProperty("sandboxState").GetString());
        }

        var verified = await CliProcess.RunAsync(CliProcess.StartInfo(dir.Path, ["verify", manifestPath], program: Cli));
        Assert.AreEqual(0, verified.ExitCode, verified.ToString());
    }

    [TestMethod]
    public async Task AYamlConfigurationIsReadAndItsTransientPatternRetriesTheCommand()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("orchestrator.yaml"), """
            taskId: startup-build
            retries:
              maxAttempts: 2
              initialDelayMs: 10
              maxDelayMs: 10
              transientOutputPatterns: ["connection (reset|refused)"]
            """);

        var outcome = await CliProcess.RunAsync(CliProcess.StartInfo(dir.Path, ["exec", "--json", "--", "sh", "-c", "echo connection reset by peer; exit 7"], program: Cli));

        Assert.AreEqual(7, outcome.ExitCode, outcome.ToString());
        using var summary = JsonDocument.Parse(outcome.Stdout);
        Assert.AreEqual("startup-build", summary.RootElement.GetProperty("taskId").GetString());
        using var manifest = RunRecords.AssertValidManifest(summary.RootElement.GetProperty("manifestPath").GetString()!);
        Assert.AreEqual("repo", manifest.RootElement.GetProperty("settingSources").GetProperty("retries.transientOutputPatterns").GetString());
        Assert.AreEqual(dir.Combine("orchestrator.yaml"), manifest.RootElement.GetProperty("configurationFiles").EnumerateArray().Single().GetProperty("path").GetString());
        Assert.AreEqual(2, manifest.RootElement.GetProperty("toolRuns").EnumerateArray().Single().GetProperty("attemptCount").GetInt32(),
            "the output matched the transient pattern, so the command ran a second time");
    }

    [TestMethod]
    public async Task TelemetryAndANotificationReachLocalReceivers()
    {
        using var dir = new TempDirectory();
        await using var receiver = HttpReceiver.Start();

        var outcome = await CliProcess.RunAsync(CliProcess.StartInfo(dir.Path,
            ["exec", "--json", "--otel-endpoint", receiver.Prefix.TrimEnd('/'), "--notify", receiver.Prefix + "hook", "--", "true"], program: Cli));
        var seen = await receiver.StopAsync();

        Assert.AreEqual(0, outcome.ExitCode, outcome.ToString());
        Assert.IsTrue(seen.Any(s => s.Path == "/v1/traces" && Encoding.UTF8.GetString(s.Body).Contains("cicd.pipeline.run.id", StringComparison.Ordinal)),
            "the run span reached the OTLP receiver");
        using var posted = JsonDocument.Parse(seen.Single(s => s.Path == "/hook").Body);
        Assert.AreEqual("run:summary", posted.RootElement.GetProperty("type").GetString());
    }

    [TestMethod]
    public async Task DiagnosticsHelpAndUsageErrorsWork()
    {
        using var dir = new TempDirectory();

        var diagnostics = await CliProcess.RunAsync(CliProcess.StartInfo(dir.Path, ["start", "--format", "json"], program: Cli));
        Assert.IsTrue(diagnostics.ExitCode is 0 or 1, diagnostics.ToString());
        using (var report = JsonDocument.Parse(diagnostics.Stdout))
        using (RunRecords.AssertValidManifest(report.RootElement.GetProperty("manifestPath").GetString()!))
        {
        }

        var help = await CliProcess.RunAsync(CliProcess.StartInfo(dir.Path, ["exec", "--help"], program: Cli));
        Assert.AreEqual(0, help.ExitCode, help.ToString());
        StringAssert.Contains(help.Stdout, "--otel-endpoint");

        var unknown = await CliProcess.RunAsync(CliProcess.StartInfo(dir.Path, ["exec", "--no-such-flag", "--", "true"], program: Cli));
        Assert.AreEqual(64, unknown.ExitCode, unknown.ToString());
        StringAssert.Contains(unknown.Stderr, "--no-such-flag");
    }
}
