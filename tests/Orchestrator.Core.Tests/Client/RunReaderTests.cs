using Orchestrator.Core.Commands;
using Orchestrator.Core.Events;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Runs.State;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Client;

[TestClass]
public sealed class RunReaderTests
{
    private static RunOptions Options(TempDirectory dir, string task) => new()
    {
        RunsRoot = dir.Combine(".runs"),
        TaskId = task,
        WorkingDirectory = dir.Path,
    };

    private static Task<RunResult> RunAsync(TempDirectory dir, string task, string line) =>
        new OrchestratorClient().ExecAsync(new ExecRequest { Command = CommandSpec.FromShell(line) }, Options(dir, task));

    [TestMethod]
    public async Task ReadManifestReturnsTheRecordedRun()
    {
        using var dir = new TempDirectory();
        var result = await RunAsync(dir, "reader", "echo hi; exit 3");

        RunManifest manifest = await new OrchestratorClient().ReadManifestAsync(result.ManifestPath);

        Assert.AreEqual(result.RunId, manifest.RunId);
        Assert.AreEqual(RunStatus.Failed, manifest.Status);
        Assert.AreEqual(3, manifest.ExitCode);
        Assert.AreEqual(RunnerKind.Sdk, manifest.Runner);
        Assert.AreEqual("hi\n", manifest.Commands[0].Stdout!.Text);
    }

    [TestMethod]
    public async Task ReadManifestOfAMissingOrBrokenFileSaysWhich()
    {
        using var dir = new TempDirectory();
        var client = new OrchestratorClient();
        var missing = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => client.ReadManifestAsync(dir.Combine("manifest.json")));
        Assert.AreEqual(OrchestratorErrorCode.RunNotFound, missing.Code);

        File.WriteAllText(dir.Combine("broken.json"), "{\"runId\": ");
        var broken = await Assert.ThrowsExactlyAsync<OrchestratorException>(() => client.ReadManifestAsync(dir.Combine("broken.json")));
        Assert.AreEqual(OrchestratorErrorCode.CorruptRunRecord, broken.Code);
    }

    [TestMethod]
    public async Task ReplayReadsTheEventsBackInOrderAsTypedEvents()
    {
        using var dir = new TempDirectory();
        var result = await RunAsync(dir, "reader", "echo one; echo two >&2");

        var replayed = new List<ExecEvent>();
        await foreach (ExecEvent e in new OrchestratorClient().ReplayEventsAsync(result.EventsPath))
        {
            replayed.Add(e);
        }

        Assert.IsInstanceOfType<RunBeginPayload>(replayed[0].Payload);
        Assert.IsInstanceOfType<RunSummaryPayload>(replayed[^1].Payload);
        Assert.AreEqual(File.ReadAllLines(result.EventsPath).Length, replayed.Count);
        Assert.IsTrue(replayed.All(e => e.RunId == result.RunId));
        CollectionAssert.AreEquivalent(new[] { "one\n", "two\n" }, replayed.Select(e => e.Payload).OfType<ExecChunkPayload>().Select(c => c.Text).ToArray());
    }

    [TestMethod]
    public async Task ReplaySkipsATornLastLine()
    {
        using var dir = new TempDirectory();
        var result = await RunAsync(dir, "reader", "echo one");
        string[] lines = File.ReadAllLines(result.EventsPath);
        string torn = dir.Combine("torn.jsonl");
        File.WriteAllText(torn, string.Join('\n', lines[..^1]) + "\n" + lines[^1][..(lines[^1].Length / 2)]);

        int count = 0;
        await foreach (ExecEvent e in new OrchestratorClient().ReplayEventsAsync(torn))
        {
            count++;
        }

        Assert.AreEqual(lines.Length - 1, count);
    }

    [TestMethod]
    public async Task ReplayRejectsACorruptLineInTheMiddleNamingIt()
    {
        using var dir = new TempDirectory();
        var result = await RunAsync(dir, "reader", "echo one");
        string[] lines = File.ReadAllLines(result.EventsPath);
        lines[1] = "{not json";
        string corrupt = dir.Combine("corrupt.jsonl");
        File.WriteAllLines(corrupt, lines);

        var ex = await Assert.ThrowsExactlyAsync<OrchestratorException>(async () =>
        {
            await foreach (ExecEvent e in new OrchestratorClient().ReplayEventsAsync(corrupt))
            {
            }
        });
        Assert.AreEqual(OrchestratorErrorCode.CorruptRunRecord, ex.Code);
        StringAssert.Contains(ex.Message, "corrupt.jsonl:2");
    }

    [TestMethod]
    public async Task FindLatestRunScansRunDirectoriesWhenTheTaskHasNoStateFile()
    {
        using var dir = new TempDirectory();
        var client = new OrchestratorClient();
        Assert.IsNull(client.FindLatestRun("finder", dir.Combine(".runs"), dir.Path, dir.Combine("out")));

        await RunAsync(dir, "finder", "true");
        var second = await RunAsync(dir, "finder", "exit 1");
        await RunAsync(dir, "other-task", "true");

        // Runs record their state in out/; without it (copied run directories, say) the directories are listed.
        Directory.Delete(dir.Combine("out"), recursive: true);

        var latest = client.FindLatestRun("finder", dir.Combine(".runs"), dir.Path, dir.Combine("out"));
        Assert.IsNotNull(latest);
        Assert.AreEqual(second.RunId, latest.RunId);
        Assert.AreEqual(second.ManifestPath, latest.ManifestPath);
        Assert.AreEqual(second.EventsPath, latest.EventsPath);
        Assert.AreEqual(RunStatus.Failed, latest.Status);
        Assert.AreEqual("scan", latest.Source);
    }

    [TestMethod]
    public async Task FindLatestRunPrefersTheTaskStateFile()
    {
        using var dir = new TempDirectory();
        var first = await RunAsync(dir, "stated", "true");
        await RunAsync(dir, "stated", "true");

        // The state file names only the first run: it is the source of truth when it has entries.
        Directory.Delete(dir.Combine("out"), recursive: true);
        TaskStateStore.Open(dir.Combine("out"), "stated").Append(new TaskStateEntry
        {
            RunId = first.RunId,
            Status = RunStatus.Succeeded,
            Timestamp = DateTimeOffset.UtcNow,
            Runner = RunnerKind.Sdk,
            ManifestPath = first.ManifestPath,
        });

        var latest = new OrchestratorClient().FindLatestRun("stated", dir.Combine(".runs"), dir.Path, dir.Combine("out"));
        Assert.IsNotNull(latest);
        Assert.AreEqual(first.RunId, latest.RunId);
        Assert.AreEqual(first.ManifestPath, latest.ManifestPath);
        Assert.AreEqual("task-state", latest.Source);
    }

    [TestMethod]
    public void FindLatestRunRefusesATaskIdThatIsAPath()
    {
        var ex = Assert.ThrowsExactly<OrchestratorException>(() => new OrchestratorClient().FindLatestRun("../x"));
        Assert.AreEqual(OrchestratorErrorCode.InvalidTaskId, ex.Code);
    }

    [TestMethod]
    public async Task RunVerifierAcceptsASoundRunAndCatchesAnEditedEventsFile()
    {
        using var dir = new TempDirectory();
        var result = await RunAsync(dir, "verifier", "echo one");
        Assert.AreEqual(0, RunVerifier.Verify(result.ManifestPath).Count, string.Join("\n", RunVerifier.Verify(result.ManifestPath)));

        File.AppendAllText(result.EventsPath, File.ReadAllLines(result.EventsPath)[^1] + "\n");
        var problems = RunVerifier.Verify(result.ManifestPath);
        Assert.IsTrue(problems.Any(p => p.Contains("eventsSha256", StringComparison.Ordinal)), string.Join("\n", problems));
        Assert.IsTrue(problems.Any(p => p.Contains("eventCount", StringComparison.Ordinal)), string.Join("\n", problems));
    }
}
