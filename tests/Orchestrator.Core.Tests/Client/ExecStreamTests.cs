using Orchestrator.Core.Commands;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Client;

[TestClass]
public sealed class ExecStreamTests
{
    private static RunOptions Options(TempDirectory dir, string task = "stream-tests") => new()
    {
        RunsRoot = dir.Combine(".runs"),
        TaskId = task,
        WorkingDirectory = dir.Path,
        Sandbox = Core.Orchestration.Sandbox.SandboxSettings.None,
    };

    private static ExecRequest Shell(string line) => new() { Command = CommandSpec.FromShell(line) };

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task EventsArriveWhileTheCommandIsStillRunning()
    {
        using var dir = new TempDirectory();
        string gate = dir.Combine("gate");
        var stream = new OrchestratorClient().StreamAsync(Shell($"echo before; while [ ! -e '{gate}' ]; do sleep 0.05; done; echo after"), Options(dir));

        var texts = new List<string>();
        await foreach (ExecEvent e in stream)
        {
            if (e.Payload is ExecChunkPayload chunk)
            {
                texts.Add(chunk.Text!);
                if (chunk.Text == "before\n")
                {
                    // The command cannot finish until this loop has seen its first output.
                    File.WriteAllText(gate, "go");
                }
            }
        }

        CollectionAssert.AreEqual(new[] { "before\n", "after\n" }, texts);
        RunResult result = await stream.Result;
        Assert.AreEqual(RunStatus.Succeeded, result.Status);
        RunFiles.AssertValidRun(result.ManifestPath);
    }

    [TestMethod]
    public async Task TheStreamedEventsAreTheRunsEventsFile()
    {
        using var dir = new TempDirectory();
        var stream = new OrchestratorClient().StreamAsync(Shell("echo a; echo b >&2; exit 2"), Options(dir));

        var events = new List<ExecEvent>();
        await foreach (ExecEvent e in stream)
        {
            events.Add(e);
        }

        RunResult result = await stream;
        Assert.AreEqual(2, result.ExitCode);
        CollectionAssert.AreEqual(RunFiles.ReadEvents(result.EventsPath).Select(e => e.Type).ToList(), events.Select(e => e.Type).ToList());
        Assert.AreEqual(ExecEventTypes.RunSummary, events[^1].Type);
    }

    [TestMethod]
    public async Task AwaitingWithoutEnumeratingGivesTheResult()
    {
        using var dir = new TempDirectory();
        RunResult result = await new OrchestratorClient().StreamAsync(Shell("echo only-the-result"), Options(dir));

        Assert.AreEqual(RunStatus.Succeeded, result.Status);
        Assert.AreEqual("only-the-result\n", result.Commands[0].Stdout.Text);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task LeavingTheLoopEarlyEndsTheCommandAndRecordsTheRunAsCancelled()
    {
        using var dir = new TempDirectory();
        var stream = new OrchestratorClient().StreamAsync(Shell("echo started; sleep 300"), Options(dir));

        await foreach (ExecEvent e in stream)
        {
            if (e.Payload is ExecChunkPayload)
            {
                break;
            }
        }

        RunResult result = await stream.Result;
        Assert.AreEqual(RunStatus.Cancelled, result.Status);
        Assert.AreEqual(CommandStatus.Cancelled, result.Commands[0].Status);
        RunFiles.AssertValidRun(result.ManifestPath);
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public async Task CancellingTheTokenEndsTheCommand()
    {
        using var dir = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        var stream = new OrchestratorClient().StreamAsync(Shell("echo started; sleep 300"), Options(dir), cancel.Token);

        var types = new List<string>();
        await foreach (ExecEvent e in stream)
        {
            types.Add(e.Type);
            if (e.Payload is ExecChunkPayload)
            {
                await cancel.CancelAsync();
            }
        }

        Assert.AreEqual(ExecEventTypes.RunSummary, types[^1]);
        Assert.AreEqual(RunStatus.Cancelled, (await stream.Result).Status);
    }

    [TestMethod]
    public async Task AStreamRunsItsCommandOnce()
    {
        using var dir = new TempDirectory();
        var stream = new OrchestratorClient().StreamAsync(Shell("true"), Options(dir));
        await stream;

        Assert.ThrowsExactly<InvalidOperationException>(() => stream.GetAsyncEnumerator());
    }

    [TestMethod]
    public async Task ARunThatCannotStartFailsTheLoop()
    {
        using var dir = new TempDirectory();
        var stream = new OrchestratorClient().StreamAsync(Shell("true"), Options(dir, task: "../escape"));

        var ex = await Assert.ThrowsExactlyAsync<OrchestratorException>(async () =>
        {
            await foreach (ExecEvent e in stream)
            {
            }
        });
        Assert.AreEqual(OrchestratorErrorCode.InvalidTaskId, ex.Code);
    }
}
