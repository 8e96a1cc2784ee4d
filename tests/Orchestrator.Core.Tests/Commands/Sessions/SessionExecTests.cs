using System.Collections.Immutable;
using System.Text.Json;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Commands.Sessions;
using Orchestrator.Core.Events;
using Orchestrator.Core.Events.Handles;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration.Sandbox;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Commands.Sessions;

/// <summary>Commands run in sessions through the whole orchestrator: events, manifest, handles.</summary>
[TestClass]
public sealed class SessionExecTests
{
    private static RunOptions Options(TempDirectory dir, ExecSessionManager sessions, HandleService? handles = null, bool sandboxed = false) => new()
    {
        RunsRoot = dir.Combine("runs"),
        TaskId = "sessions",
        WorkingDirectory = dir.Path,
        Sandbox = sandboxed ? SandboxSettings.Default : SandboxSettings.None,
        KillGracePeriod = TimeSpan.FromMilliseconds(200),
        Sessions = sessions,
        Handles = handles ?? new HandleService(),
    };

    private static ExecRequest InSession(string line, string session = "build", bool persist = true) =>
        new() { Command = CommandSpec.FromShell(line), SessionId = session, PersistSession = persist, Timeout = TimeSpan.FromSeconds(30) };

    [TestMethod]
    public async Task TwoCommandsOfARunShareOneShellAndTheManifestListsTheSession()
    {
        using var dir = new TempDirectory();
        await using var sessions = new ExecSessionManager();

        var result = await new OrchestratorClient().RunAsync([InSession("echo pid=$$; export STEP=one"), InSession("echo pid=$$ step=$STEP")], Options(dir, sessions));

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        string pid = result.Commands[0].Stdout.Text.Trim();
        Assert.AreEqual($"{pid} step=one\n", result.Commands[1].Stdout.Text);
        Assert.AreEqual(result.Commands[0].Pid, result.Commands[1].Pid, "both report the session shell's pid");
        RunFiles.AssertValidRun(result.ManifestPath);
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        var session = manifest.RootElement.GetProperty("sessions").EnumerateArray().Single();
        Assert.AreEqual("build", session.GetProperty("id").GetString());
        Assert.AreEqual(2, session.GetProperty("commandCount").GetInt32());
        Assert.IsTrue(session.GetProperty("createdByRun").GetBoolean());
        Assert.AreEqual("build", manifest.RootElement.GetProperty("commands")[1].GetProperty("session").GetString());
        var events = RunFiles.ReadEvents(result.EventsPath);
        Assert.AreEqual(1, events.Count(e => e.Type == ExecEventTypes.SessionCreated));
        Assert.IsTrue(events.Select(e => e.Payload).OfType<ExecBeginPayload>().All(b => b.SessionId == "build" && b.Pty));
    }

    [TestMethod]
    public async Task ASessionOutlivesItsRunAndTheNextRunReusesIt()
    {
        using var dir = new TempDirectory();
        await using var sessions = new ExecSessionManager();
        var client = new OrchestratorClient();

        var first = await client.ExecAsync(InSession("cd /; echo $$"), Options(dir, sessions));
        var second = await client.ExecAsync(InSession("pwd; echo $$"), Options(dir, sessions));

        Assert.AreEqual($"/\n{first.Commands[0].Stdout.Text}", second.Commands[0].Stdout.Text);
        using var manifest = RunFiles.ReadManifest(second.ManifestPath);
        Assert.IsFalse(manifest.RootElement.GetProperty("sessions")[0].GetProperty("createdByRun").GetBoolean());
        Assert.AreEqual(0, RunFiles.ReadEvents(second.EventsPath).Count(e => e.Type == ExecEventTypes.SessionCreated));
    }

    [TestMethod]
    public async Task PersistFalseEndsTheSessionAfterTheCommand()
    {
        using var dir = new TempDirectory();
        await using var sessions = new ExecSessionManager();

        var result = await new OrchestratorClient().ExecAsync(InSession("echo once", persist: false), Options(dir, sessions));

        Assert.IsTrue(result.Succeeded);
        Assert.AreEqual(0, sessions.Count);
        var disposed = RunFiles.ReadEvents(result.EventsPath).Select(e => e.Payload).OfType<SessionDisposedPayload>().Single();
        StringAssert.Contains(disposed.Reason, "not persisted");
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        Assert.AreEqual("disposed", manifest.RootElement.GetProperty("sessions")[0].GetProperty("status").GetString());
        RunFiles.AssertValidRun(result.ManifestPath);
    }

    [TestMethod]
    public async Task AShellThatExitsFailsItsCommandClearlyAndTheNextUseGetsANewSession()
    {
        using var dir = new TempDirectory();
        await using var sessions = new ExecSessionManager();
        var client = new OrchestratorClient();

        var exiting = await client.ExecAsync(InSession("echo pid=$$; exit 4"), Options(dir, sessions));
        var next = await client.ExecAsync(InSession("echo pid=$$"), Options(dir, sessions));

        Assert.AreEqual(CommandStatus.Failed, exiting.Commands[0].Status);
        Assert.AreEqual("SessionEnded", exiting.Commands[0].Error?.Code);
        Assert.AreEqual("The session's shell exited with code 4.", exiting.Commands[0].Error?.Message);
        Assert.IsTrue(next.Succeeded);
        Assert.AreNotEqual(exiting.Commands[0].Stdout.Text, next.Commands[0].Stdout.Text, "a new shell");
        var created = RunFiles.ReadEvents(next.EventsPath).Select(e => e.Payload).OfType<SessionCreatedPayload>().Single();
        Assert.AreEqual("The session's shell exited with code 4.", created.ReplacedBecause);
        RunFiles.AssertValidRun(exiting.ManifestPath);
        RunFiles.AssertValidRun(next.ManifestPath);
    }

    [TestMethod]
    public async Task ATimeoutInASessionEndsTheCommandNotTheSession()
    {
        using var dir = new TempDirectory();
        await using var sessions = new ExecSessionManager();
        var client = new OrchestratorClient();

        var waiting = await client.ExecAsync(InSession("read line") with { Timeout = TimeSpan.FromMilliseconds(500) }, Options(dir, sessions));
        var after = await client.ExecAsync(InSession("echo alive"), Options(dir, sessions));

        Assert.AreEqual(CommandStatus.TimedOut, waiting.Commands[0].Status);
        Assert.AreEqual("alive\n", after.Commands[0].Stdout.Text);
        Assert.AreEqual(1, sessions.Count);
    }

    [TestMethod]
    public async Task ArgvCommandsAreQuotedForTheShell()
    {
        using var dir = new TempDirectory();
        await using var sessions = new ExecSessionManager();

        var result = await new OrchestratorClient().ExecAsync(
            new ExecRequest { Command = CommandSpec.FromArgv(["printf", "%s|", "it's", "a b", "$HOME"]), SessionId = "argv" }, Options(dir, sessions));

        Assert.AreEqual("it's|a b|$HOME|", result.Commands[0].Stdout.Text);
    }

    [TestMethod]
    public async Task AnEscalatedSessionIsNotReusedForASandboxedCommand()
    {
        Sandboxes.RequireBubblewrap();
        using var dir = new TempDirectory();
        await using var sessions = new ExecSessionManager();
        var client = new OrchestratorClient();

        var open = await client.ExecAsync(InSession("echo $$"), Options(dir, sessions, sandboxed: false));
        var sandboxed = await client.ExecAsync(InSession("echo $$; touch /var/tmp/orch-session-escape || echo refused"), Options(dir, sessions, sandboxed: true));

        Assert.IsTrue(sandboxed.Commands[0].Stdout.Text.Contains("refused", StringComparison.Ordinal), sandboxed.Commands[0].Stdout.Text);
        Assert.IsFalse(File.Exists("/var/tmp/orch-session-escape"));
        var created = RunFiles.ReadEvents(sandboxed.EventsPath).Select(e => e.Payload).OfType<SessionCreatedPayload>().Single();
        Assert.IsTrue(created.Sandboxed);
        StringAssert.Contains(created.ReplacedBecause, "sandbox");
        Assert.AreNotEqual(open.Commands[0].Stdout.Text.Trim(), sandboxed.Commands[0].Stdout.Text.Split('\n')[0]);
    }

    [TestMethod]
    public async Task EveryExecAndSessionHasAHandleThatReplaysItsOutput()
    {
        using var dir = new TempDirectory();
        await using var sessions = new ExecSessionManager();
        var handles = new HandleService();

        var result = await new OrchestratorClient().ExecAsync(InSession("for i in 1 2 3; do echo line-$i; sleep 0.05; done"), Options(dir, sessions, handles));

        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        var recorded = manifest.RootElement.GetProperty("handles").EnumerateArray().ToList();
        CollectionAssert.AreEquivalent(new[] { "exec", "session" }, recorded.Select(h => h.GetProperty("kind").GetString()).ToArray());
        string execHandle = recorded.Single(h => h.GetProperty("kind").GetString() == "exec").GetProperty("handleId").GetString()!;
        Assert.AreEqual($"{result.RunId}/{result.Commands[0].ExecId}", execHandle);
        Assert.IsTrue(handles.TryGet(execHandle, out var handle));
        Assert.AreEqual("succeeded", handle.Info.Status);
        await using var replay = handle.Subscribe(1);
        var text = new System.Text.StringBuilder();
        await foreach (var frame in replay.ReadAllAsync(CancellationToken.None))
        {
            text.Append(System.Text.Encoding.UTF8.GetString(frame.Data.Span));
        }

        Assert.AreEqual("line-1\r\nline-2\r\nline-3\r\n", text.ToString());
        Assert.IsTrue(handles.TryGet("session/build", out var sessionHandle));
        Assert.AreEqual(HandleStatuses.Open, sessionHandle.Info.Status, "the session is still alive");
    }

    [TestMethod]
    public async Task ExecBeginPrecedesEveryChunkOfASessionCommand()
    {
        using var dir = new TempDirectory();
        await using var sessions = new ExecSessionManager();

        // Output as early as possible, several times: a begin written late would trail a chunk.
        var requests = Enumerable.Range(0, 10).Select(i => InSession($"echo fast-{i}")).ToArray();
        var result = await new OrchestratorClient().RunAsync(requests, Options(dir, sessions));

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        var begun = new HashSet<string>();
        foreach (var payload in RunFiles.ReadEvents(result.EventsPath).Select(e => e.Payload))
        {
            if (payload is ExecBeginPayload begin)
            {
                begun.Add(begin.ExecId);
            }
            else if (payload is ExecChunkPayload chunk)
            {
                Assert.IsTrue(begun.Contains(chunk.ExecId), $"chunk of {chunk.ExecId} before its exec:begin");
            }
        }
    }

    [TestMethod]
    public async Task AMissingWorkingDirectoryFailsTheCommandWhetherTheSessionIsNewOrReused()
    {
        using var dir = new TempDirectory();
        await using var sessions = new ExecSessionManager();
        string missing = dir.Combine("no-such-dir");

        var client = new OrchestratorClient();

        var fresh = await client.ExecAsync(InSession("echo first", session: "cwd") with { WorkingDirectory = missing }, Options(dir, sessions));
        var up = await client.ExecAsync(InSession("echo up", session: "cwd"), Options(dir, sessions));
        var reused = await client.ExecAsync(InSession("echo reused", session: "cwd") with { WorkingDirectory = missing }, Options(dir, sessions));

        Assert.AreEqual(CommandStatus.Failed, fresh.Commands[0].Status, "a new session in a missing directory");
        Assert.IsNull(fresh.Commands[0].Pid);
        Assert.AreEqual(CommandStatus.Succeeded, up.Commands[0].Status);
        Assert.AreEqual(CommandStatus.Failed, reused.Commands[0].Status, "a reused session told to go to a missing directory");
        Assert.AreEqual("", reused.Commands[0].Stdout.Text, "the command did not run elsewhere");
        StringAssert.Contains(reused.Commands[0].Error?.Message, "does not exist");
        RunFiles.AssertValidRun(reused.ManifestPath);
    }

    [TestMethod]
    public async Task ConfiguredSecretsAreMaskedInTheSessionsEnvironmentSnapshot()
    {
        using var dir = new TempDirectory();
        await using var sessions = new ExecSessionManager();
        const string value = "cred-value-1234";
        var request = InSession("true") with { Environment = ImmutableDictionary<string, string?>.Empty.Add("DEPLOY_CRED", value) };

        var result = await new OrchestratorClient().ExecAsync(request, Options(dir, sessions) with { Secrets = new Orchestrator.Core.Security.SecretSettings(["DEPLOY_CRED"], [], []) });

        Assert.IsTrue(result.Succeeded, result.StatusDetail);
        using var manifest = RunFiles.ReadManifest(result.ManifestPath);
        var environment = manifest.RootElement.GetProperty("sessions")[0].GetProperty("environment");
        Assert.AreEqual("***", environment.GetProperty("DEPLOY_CRED").GetString());
        Assert.IsFalse(File.ReadAllText(result.ManifestPath).Contains(value, StringComparison.Ordinal));
    }
}
