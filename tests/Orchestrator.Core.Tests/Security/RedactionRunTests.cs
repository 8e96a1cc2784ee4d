using System.Collections.Immutable;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Commands.Sessions;
using Orchestrator.Core.Events.Handles;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Security;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Security;

/// <summary>Secrets never reach a run's files, events or handles, whatever way they are printed.</summary>
[TestClass]
public sealed class RedactionRunTests
{
    private const string Secret = "s3cr3t-Value-4711";

    private static RunOptions Options(TempDirectory dir, HandleService handles, SecretSettings? secrets = null) => new()
    {
        RunsRoot = dir.Combine("runs"),
        TaskId = "redaction",
        WorkingDirectory = dir.Path,
        Sandbox = SandboxSettings.None,
        Handles = handles,
        Secrets = secrets ?? SecretSettings.Default,
    };

    private static ExecRequest Command(string line, string variable = "DEPLOY_TOKEN") => new()
    {
        Command = CommandSpec.FromShell(line),
        Environment = ImmutableDictionary<string, string?>.Empty.Add(variable, Secret),
    };

    /// <summary>Every file of the run directory, as text: where a secret must not be.</summary>
    private static string EverythingWritten(string runDirectory) =>
        string.Join("\n", Directory.EnumerateFiles(runDirectory, "*", SearchOption.AllDirectories).Select(File.ReadAllText));

    [TestMethod]
    public async Task ASecretSplitAcrossTwoWritesIsMaskedInLogsEventsManifestAndHandles()
    {
        using var dir = new TempDirectory();
        var handles = new HandleService();

        // Two writes with a pause between them reach us as two reads: the secret spans a chunk border.
        var result = await new OrchestratorClient().ExecAsync(
            Command("printf 'before s3cr3t-Va'; sleep 0.2; printf 'lue-4711 after\\n'; echo \"$DEPLOY_TOKEN\" >&2"), Options(dir, handles));

        Assert.IsTrue(result.Succeeded);
        Assert.AreEqual("before *** after\n", result.Commands[0].Stdout.Text);
        Assert.AreEqual("***\n", result.Commands[0].Stderr.Text);
        string written = EverythingWritten(result.RunDirectory);
        Assert.IsFalse(written.Contains(Secret, StringComparison.Ordinal), "no file of the run holds the secret");
        StringAssert.Contains(await File.ReadAllTextAsync(result.Commands[0].StdoutLogPath!), "before *** after");
        Assert.IsTrue(handles.TryGet($"{result.RunId}/{result.Commands[0].ExecId}", out var handle));
        string frames = string.Concat(handle.Snapshot().Frames.Select(f => System.Text.Encoding.UTF8.GetString(f.Data.Span)));
        Assert.IsFalse(frames.Contains(Secret, StringComparison.Ordinal));
        StringAssert.Contains(frames, "***");
        foreach (var frame in handle.Snapshot().Frames)
        {
            bool masked = System.Text.Encoding.UTF8.GetString(frame.Data.Span).Contains("***", StringComparison.Ordinal);
            Assert.AreEqual(masked ? GuardDecision.Redact : GuardDecision.Allow, frame.Decision, "the frame's guard decision says whether it hides a secret");
        }

        RunFiles.AssertValidRun(result.ManifestPath);
    }

    [TestMethod]
    public async Task ASecretInTheCommandLineIsMaskedInTheRecordedCommand()
    {
        using var dir = new TempDirectory();

        var result = await new OrchestratorClient().ExecAsync(Command($"test -n {Secret} && echo ok"), Options(dir, new HandleService()));

        Assert.AreEqual("ok\n", result.Commands[0].Stdout.Text);
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        Assert.AreEqual("test -n *** && echo ok", manifest.RootElement.GetProperty("commands")[0].GetProperty("command").GetString());
        Assert.IsFalse(EverythingWritten(result.RunDirectory).Contains(Secret, StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task ConfiguredNamesAndRegisteredValuesAreSecretToo()
    {
        using var dir = new TempDirectory();
        var secrets = new SecretSettings(["DEPLOY_CRED"], [@"ghp_[A-Za-z0-9]{8}"], ["registered-value-1"]);

        var result = await new OrchestratorClient().ExecAsync(
            Command("echo \"$DEPLOY_CRED\"; echo ghp_abcdEFGH; echo registered-value-1; echo plain", variable: "DEPLOY_CRED"), Options(dir, new HandleService(), secrets));

        Assert.AreEqual("***\n***\n***\nplain\n", result.Commands[0].Stdout.Text);
        Assert.IsFalse(EverythingWritten(result.RunDirectory).Contains(Secret, StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task BulkOutputWithASecretIsRedactedThroughout()
    {
        using var dir = new TempDirectory();

        // Far past the event budget: without secrets this output would be spliced kernel-to-file.
        var result = await new OrchestratorClient().ExecAsync(
            Command("i=0; while [ $i -lt 20000 ]; do echo \"line $i $DEPLOY_TOKEN\"; i=$((i+1)); done"), Options(dir, new HandleService()));

        Assert.IsTrue(result.Succeeded);
        string log = await File.ReadAllTextAsync(result.Commands[0].StdoutLogPath!);
        Assert.AreEqual(20000, log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.IsFalse(log.Contains(Secret, StringComparison.Ordinal));
        StringAssert.EndsWith(log, "line 19999 ***\n");
    }

    [TestMethod]
    public async Task SessionOutputIsRedactedToo()
    {
        using var dir = new TempDirectory();
        await using var sessions = new ExecSessionManager();

        var result = await new OrchestratorClient().ExecAsync(Command("echo \"token=$DEPLOY_TOKEN\"") with { SessionId = "redact" }, Options(dir, new HandleService()) with { Sessions = sessions });

        Assert.AreEqual("token=***\n", result.Commands[0].Stdout.Text);
        Assert.IsFalse(EverythingWritten(result.RunDirectory).Contains(Secret, StringComparison.Ordinal));
    }
}
