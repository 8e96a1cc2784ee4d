using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Runs.State;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Runs;

[TestClass]
public sealed class TaskStateStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 10, 1, 946, TimeSpan.Zero);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void AppendsAreWholeLinesInOrderNumberedConsecutively()
    {
        using var dir = new TempDirectory();
        var store = TaskStateStore.Open(dir.Combine("out"), "build");
        var appended = new List<TaskStateEntry>();
        for (int i = 0; i < 5; i++)
        {
            appended.Add(store.Append(Entry(Run(i), RunStatus.InProgress, i, detail: $"step {i}")));
        }

        Assert.AreEqual(dir.Combine("out", "build", "runs.jsonl"), store.FilePath);
        string text = File.ReadAllText(store.FilePath);
        Assert.IsTrue(text.EndsWith('\n'));
        string[] lines = text.TrimEnd('\n').Split('\n');
        Assert.HasCount(5, lines);
        CollectionAssert.AreEqual(new long[] { 1, 2, 3, 4, 5 }, appended.Select(e => e.Seq).ToArray());
        CollectionAssert.AreEqual(appended, store.Entries().ToList());
        for (int i = 0; i < 5; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            Assert.AreEqual(Run(i), json.RootElement.GetProperty("runId").GetString());
            Assert.AreEqual(i + 1, json.RootElement.GetProperty("seq").GetInt64());
        }

        Assert.IsEmpty(store.Warnings);
    }

    [TestMethod]
    public void TheLineFormatIsCompactCamelCaseWithNullsOmitted()
    {
        using var dir = new TempDirectory();
        string stateRoot = dir.Combine("out");
        var store = TaskStateStore.Open(stateRoot, "build");
        string manifest = dir.Combine(".runs", "build", "cli", Run(0), "manifest.json");
        store.Append(Entry(Run(0), RunStatus.Queued, 0) with { ManifestPath = manifest });
        store.Append(Entry(Run(0), RunStatus.Failed, 1) with { ManifestPath = manifest, ExitCode = 2, StatusDetail = "make test exited with 2", ParentRunId = Run(9), PipelineId = "ci-42" });

        string[] lines = File.ReadAllLines(store.FilePath);
        Assert.AreEqual(
            $$"""{"runId":"{{Run(0)}}","status":"queued","timestamp":"2026-11-22T03:10:01.946Z","runner":"msbuild","manifestPath":"../../.runs/build/cli/{{Run(0)}}/manifest.json","seq":1}""",
            lines[0]);
        Assert.AreEqual(
            $$"""{"runId":"{{Run(0)}}","status":"failed","timestamp":"2026-11-22T03:10:02.946Z","runner":"msbuild","pipelineId":"ci-42","parentRunId":"{{Run(9)}}","manifestPath":"../../.runs/build/cli/{{Run(0)}}/manifest.json","exitCode":2,"statusDetail":"make test exited with 2","seq":2}""",
            lines[1]);
        Assert.AreEqual(manifest, store.ResolveManifestPath(store.Latest()!));
    }

    [TestMethod]
    public void QueriesAnswerFromEachRunsLastLine()
    {
        using var dir = new TempDirectory();
        var store = TaskStateStore.Open(dir.Combine("out"), "build");
        Assert.IsNull(store.Latest());
        Assert.IsNull(store.LatestRun());
        Assert.IsEmpty(store.RunsByStatus(RunStatus.InProgress));
        Assert.IsEmpty(store.Entries().ToList());

        // Run 0 and 1 overlap; run 2 starts last but run 0 finishes after it started.
        store.Append(Entry(Run(0), RunStatus.Queued, 0));
        store.Append(Entry(Run(0), RunStatus.InProgress, 1));
        store.Append(Entry(Run(1), RunStatus.InProgress, 2));
        store.Append(Entry(Run(1), RunStatus.Failed, 3, exitCode: 2));
        store.Append(Entry(Run(2), RunStatus.InProgress, 4));
        store.Append(Entry(Run(3), RunStatus.Queued, 5));
        store.Append(Entry(Run(0), RunStatus.Succeeded, 6, exitCode: 0));

        TaskStateEntry? latest = store.Latest();
        Assert.AreEqual(Run(0), latest?.RunId);
        Assert.AreEqual(RunStatus.Succeeded, latest?.Status);
        Assert.AreEqual(7, latest?.Seq);

        Assert.AreEqual(RunStatus.Failed, store.Latest(Run(1))?.Status);
        Assert.AreEqual(RunStatus.InProgress, store.Latest(Run(2))?.Status);
        Assert.IsNull(store.Latest(Run(7)));

        TaskStateEntry? latestRun = store.LatestRun();
        Assert.AreEqual(Run(3), latestRun?.RunId);
        Assert.AreEqual(RunStatus.Queued, latestRun?.Status);

        CollectionAssert.AreEqual(new[] { Run(0) }, store.RunsByStatus(RunStatus.Succeeded).Select(e => e.RunId).ToArray());
        CollectionAssert.AreEqual(new[] { Run(1) }, store.RunsByStatus(RunStatus.Failed).Select(e => e.RunId).ToArray());
        CollectionAssert.AreEqual(new[] { Run(2) }, store.RunsByStatus(RunStatus.InProgress).Select(e => e.RunId).ToArray());
        CollectionAssert.AreEqual(new[] { Run(3) }, store.RunsByStatus(RunStatus.Queued).Select(e => e.RunId).ToArray());
        Assert.IsEmpty(store.RunsByStatus(RunStatus.Cancelled));

        // The last state of run 3 moves it, and the latest run follows its newest state.
        store.Append(Entry(Run(3), RunStatus.Cancelled, 7, detail: "superseded"));
        Assert.IsEmpty(store.RunsByStatus(RunStatus.Queued));
        Assert.AreEqual("superseded", store.RunsByStatus(RunStatus.Cancelled).Single().StatusDetail);
        Assert.AreEqual(RunStatus.Cancelled, store.LatestRun()?.Status);
    }

    [TestMethod]
    public void ATornLastLineIsRemovedOnOpenWithAWarningAndNoEntryIsLost()
    {
        using var dir = new TempDirectory();
        string root = dir.Combine("out");
        var writer = TaskStateStore.Open(root, "build");
        for (int i = 0; i < 3; i++)
        {
            writer.Append(Entry(Run(i), RunStatus.Succeeded, i));
        }

        long whole = new FileInfo(writer.FilePath).Length;
        string torn = $$"""{"runId":"{{Run(3)}}","status":"in_pro""";
        File.AppendAllText(writer.FilePath, torn);

        var reopened = TaskStateStore.Open(root, "build");
        Assert.AreEqual(whole, new FileInfo(writer.FilePath).Length, "the torn line is cut off, nothing before it");
        RunWarning warning = reopened.Warnings.Single();
        Assert.AreEqual(TaskStateStore.TornLineRemovedCode, warning.Code);
        StringAssert.Contains(warning.Message, "in_pro");
        CollectionAssert.AreEqual(new[] { Run(0), Run(1), Run(2) }, reopened.Entries().Select(e => e.RunId).ToArray());

        Assert.AreEqual(4, reopened.Append(Entry(Run(3), RunStatus.InProgress, 3)).Seq);
        Assert.HasCount(4, File.ReadAllLines(writer.FilePath));
        Assert.HasCount(1, reopened.Warnings, "the repair is reported once");
    }

    [TestMethod]
    public void ATornLastLineIsRepairedByTheNextAppendOfAnOpenStore()
    {
        using var dir = new TempDirectory();
        var store = TaskStateStore.Open(dir.Combine("out"), "build");
        store.Append(Entry(Run(0), RunStatus.InProgress, 0));
        store.Append(Entry(Run(0), RunStatus.Succeeded, 1));

        // A writer killed after part of its line: the bytes of a real line, cut short.
        byte[] line = TaskStateStore.EncodeLine(Entry(Run(1), RunStatus.InProgress, 2) with { Seq = 3 });
        using (var stream = new FileStream(store.FilePath, FileMode.Append))
        {
            stream.Write(line, 0, line.Length / 2);
        }

        TaskStateEntry appended = store.Append(Entry(Run(1), RunStatus.InProgress, 3));
        Assert.AreEqual(3, appended.Seq);
        Assert.AreEqual(TaskStateStore.TornLineRemovedCode, store.Warnings.Single().Code);
        List<TaskStateEntry> entries = store.Entries().ToList();
        CollectionAssert.AreEqual(new long[] { 1, 2, 3 }, entries.Select(e => e.Seq).ToArray());
        Assert.AreEqual(appended, entries[^1]);
        Assert.IsTrue(File.ReadAllLines(store.FilePath).All(l => l.StartsWith('{') && l.EndsWith('}')));
    }

    [TestMethod]
    public void ATornLineThatOnlyLacksItsNewlineIsKept()
    {
        using var dir = new TempDirectory();
        string root = dir.Combine("out");
        var store = TaskStateStore.Open(root, "build");
        store.Append(Entry(Run(0), RunStatus.InProgress, 0));
        byte[] line = TaskStateStore.EncodeLine(Entry(Run(0), RunStatus.Succeeded, 1) with { Seq = 2 });
        using (var stream = new FileStream(store.FilePath, FileMode.Append))
        {
            stream.Write(line, 0, line.Length - 1);
        }

        var reopened = TaskStateStore.Open(root, "build");
        Assert.AreEqual(TaskStateStore.TornLineCompletedCode, reopened.Warnings.Single().Code);
        Assert.AreEqual(RunStatus.Succeeded, reopened.Latest()?.Status);
        Assert.AreEqual(3, reopened.Append(Entry(Run(1), RunStatus.Queued, 2)).Seq);
        Assert.HasCount(3, reopened.Entries().ToList());
    }

    [TestMethod]
    public void AFileHoldingOnlyATornFragmentStartsOver()
    {
        using var dir = new TempDirectory();
        string root = dir.Combine("out");
        Directory.CreateDirectory(Path.Combine(root, "build"));
        string file = Path.Combine(root, "build", TaskStateStore.FileName);
        File.WriteAllText(file, """{"runId":"2026-""");

        var store = TaskStateStore.Open(root, "build");
        Assert.AreEqual(0, new FileInfo(file).Length);
        Assert.AreEqual(TaskStateStore.TornLineRemovedCode, store.Warnings.Single().Code);
        Assert.AreEqual(1, store.Append(Entry(Run(0), RunStatus.Queued, 0)).Seq);
    }

    [TestMethod]
    public void RunsStartedInTheSameMillisecondAreOrderedByTheirFirstLine()
    {
        using var dir = new TempDirectory();
        var store = TaskStateStore.Open(dir.Combine("out"), "build");
        // A pipeline and its child started within one millisecond; the child's random suffix sorts first.
        const string Parent = "2026-11-22T13-42-15-441Z-ffffffff";
        const string Child = "2026-11-22T13-42-15-441Z-00000000";
        store.Append(Entry(Parent, RunStatus.InProgress, 0));
        store.Append(Entry(Child, RunStatus.InProgress, 1));
        Assert.AreEqual(Child, store.LatestRun()?.RunId);

        // The parent's later state changes do not make it the most recently started run.
        store.Append(Entry(Child, RunStatus.Failed, 2));
        store.Append(Entry(Parent, RunStatus.Failed, 3));
        Assert.AreEqual(Child, store.LatestRun()?.RunId);
        Assert.AreEqual(RunStatus.Failed, store.LatestRun()?.Status);

        // A run of a later millisecond wins whatever its suffix.
        const string Later = "2026-11-22T13-42-15-442Z-00000000";
        store.Append(Entry(Later, RunStatus.Queued, 4));
        Assert.AreEqual(Later, store.LatestRun()?.RunId);
    }

    [TestMethod]
    public void ReadersIgnoreAnUnterminatedTailWithoutRepairingIt()
    {
        using var dir = new TempDirectory();
        var store = TaskStateStore.Open(dir.Combine("out"), "build");
        store.Append(Entry(Run(0), RunStatus.InProgress, 0));
        store.Append(Entry(Run(1), RunStatus.InProgress, 1));

        // What a reader may see while another process is half-way through an append.
        File.AppendAllText(store.FilePath, $$"""{"runId":"{{Run(0)}}","status":"succ""");
        byte[] before = File.ReadAllBytes(store.FilePath);

        Assert.AreEqual(Run(1), store.Latest()?.RunId);
        Assert.AreEqual(RunStatus.InProgress, store.Latest(Run(0))?.Status);
        Assert.AreEqual(Run(1), store.LatestRun()?.RunId);
        Assert.HasCount(2, store.RunsByStatus(RunStatus.InProgress));
        Assert.HasCount(2, store.Entries().ToList());

        CollectionAssert.AreEqual(before, File.ReadAllBytes(store.FilePath), "readers never change the file");
        Assert.IsEmpty(store.Warnings, "an append in progress is not a problem");
    }

    [TestMethod]
    public void CompleteLinesThatDoNotParseAreSkippedWithAWarning()
    {
        using var dir = new TempDirectory();
        var store = TaskStateStore.Open(dir.Combine("out"), "build");
        store.Append(Entry(Run(0), RunStatus.InProgress, 0));
        File.AppendAllText(store.FilePath, "not json at all\n");
        store.Append(Entry(Run(0), RunStatus.Succeeded, 1));
        File.AppendAllText(store.FilePath, $$"""{"runId":"{{Run(1)}}","status":"exploded","timestamp":"2026-11-22T03:10:01.946Z","runner":"cli","manifestPath":"m","seq":9}""" + "\n\n");
        File.AppendAllBytes(store.FilePath, [0xff, 0xfe, 0x7b, (byte)'\n']);

        var reader = TaskStateStore.Open(dir.Combine("out"), "build");
        Assert.AreEqual(RunStatus.Succeeded, reader.Latest()?.Status, "Latest scans back past lines that do not parse");
        Assert.IsNull(reader.Latest(Run(1)));
        CollectionAssert.AreEqual(new long[] { 1, 2 }, reader.Entries().Select(e => e.Seq).ToArray());
        Assert.HasCount(1, reader.RunsByStatus(RunStatus.Succeeded));
        Assert.HasCount(3, reader.Warnings);
        Assert.IsTrue(reader.Warnings.All(w => w.Code == TaskStateStore.UnreadableLineCode));
        _ = reader.Entries().ToList();
        Assert.HasCount(3, reader.Warnings, "each bad line is reported once");

        Assert.AreEqual(3, reader.Append(Entry(Run(2), RunStatus.Queued, 2)).Seq, "numbering continues from the last valid line");
    }

    [TestMethod]
    public async Task EightProcessesAppendingAtOnceLoseAndInterleaveNothing()
    {
        const int writers = 8;
        const int perWriter = 500;
        using var dir = new TempDirectory();
        string root = dir.Combine("out");
        string go = dir.Combine("go");
        var processes = new List<Process>();
        var outputs = new List<Task<string>>();
        try
        {
            for (int w = 0; w < writers; w++)
            {
                var process = Process.Start(Support.TestTool.StartInfo(["append-state", root, "shared", $"w{w}", perWriter.ToString(System.Globalization.CultureInfo.InvariantCulture), go]))!;
                processes.Add(process);
                outputs.Add(process.StandardOutput.ReadToEndAsync());
                _ = process.StandardError.ReadToEndAsync();
            }

            File.WriteAllText(go, "");
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            foreach (Process process in processes)
            {
                await process.WaitForExitAsync(timeout.Token);
                Assert.AreEqual(0, process.ExitCode, await outputs[processes.IndexOf(process)]);
            }
        }
        finally
        {
            foreach (Process process in processes)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                process.Dispose();
            }
        }

        var store = TaskStateStore.Open(root, "shared");
        string[] lines = File.ReadAllText(store.FilePath).Split('\n');
        Assert.AreEqual("", lines[^1], "the file ends with a newline");
        Assert.HasCount(writers * perWriter, lines[..^1]);

        List<TaskStateEntry> entries = store.Entries().ToList();
        Assert.IsEmpty(store.Warnings, "every line parses");
        Assert.HasCount(writers * perWriter, entries);
        CollectionAssert.AreEqual(Enumerable.Range(1, writers * perWriter).Select(i => (long)i).ToArray(), entries.Select(e => e.Seq).ToArray());

        var expected = Enumerable.Range(0, writers).SelectMany(w => Enumerable.Range(0, perWriter).Select(n => $"w{w}:{n}")).Order().ToArray();
        CollectionAssert.AreEqual(expected, entries.Select(e => e.StatusDetail).Order().ToArray(), "each (writer, n) exactly once");
        foreach (var byWriter in entries.GroupBy(e => e.StatusDetail![..e.StatusDetail!.IndexOf(':')]))
        {
            int[] order = byWriter.Select(e => int.Parse(e.StatusDetail![(e.StatusDetail!.IndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            CollectionAssert.AreEqual(Enumerable.Range(0, perWriter).ToArray(), order, "each writer's lines keep its order");
        }

        int switches = entries.Zip(entries.Skip(1)).Count(p => p.First.StatusDetail![..2] != p.Second.StatusDetail![..2]);
        TestContext.WriteLine($"writer switches between adjacent lines: {switches} (7 would mean the writers ran one after another)");
    }

    [TestMethod]
    public async Task AWriterKilledMidStreamLeavesTheLockFreeAndEveryEntryWhole()
    {
        using var dir = new TempDirectory();
        string root = dir.Combine("out");
        string file = Path.Combine(root, "shared", TaskStateStore.FileName);
        using (var process = Process.Start(Support.TestTool.StartInfo(["append-state", root, "shared", "doomed", "1000000"]))!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var waited = Stopwatch.StartNew();
            while (!(File.Exists(file) && new FileInfo(file).Length > 100_000) && waited.Elapsed < TimeSpan.FromMinutes(2) && !process.HasExited)
            {
                await Task.Delay(5);
            }

            Assert.IsFalse(process.HasExited, "the writer was still appending when it was killed");
            process.Kill();
            await process.WaitForExitAsync();
        }

        // The kernel dropped the dead writer's lock: this neither blocks nor loses a whole line.
        var store = TaskStateStore.Open(root, "shared");
        TaskStateEntry next = store.Append(Entry(Run(0), RunStatus.Succeeded, 0));
        List<TaskStateEntry> entries = store.Entries().ToList();
        TestContext.WriteLine($"{entries.Count - 1} lines before the kill; warnings: {string.Join("; ", store.Warnings.Select(w => w.Code))}");
        Assert.IsTrue(store.Warnings.All(w => w.Code is TaskStateStore.TornLineRemovedCode or TaskStateStore.TornLineCompletedCode));
        Assert.AreEqual(File.ReadAllLines(file).Length, entries.Count, "every line in the file is a valid entry");
        CollectionAssert.AreEqual(Enumerable.Range(1, entries.Count).Select(i => (long)i).ToArray(), entries.Select(e => e.Seq).ToArray());
        Assert.AreEqual(next, entries[^1]);
    }

    [TestMethod]
    public void LongLinesAndLongTornTailsAreFoundAcrossReadBlocks()
    {
        using var dir = new TempDirectory();
        string root = dir.Combine("out");
        var store = TaskStateStore.Open(root, "build");
        var random = new Random(1234);
        var expected = new Dictionary<string, TaskStateEntry>();
        for (int i = 0; i < 120; i++)
        {
            // From empty to near the line limit, so lines straddle every block size the scan uses.
            int length = i % 7 == 0 ? random.Next(20_000, TaskStateStore.MaxLineBytes - 1_000) : random.Next(0, 3_000);
            TaskStateEntry stored = store.Append(Entry(Run(i % 13), (RunStatus)(i % 5), i, detail: new string((char)('a' + (i % 26)), length)));
            expected[stored.RunId] = stored;
        }

        foreach (var (runId, entry) in expected)
        {
            Assert.AreEqual(entry, store.Latest(runId));
        }

        // A torn tail longer than the largest read block.
        File.AppendAllText(store.FilePath, "{\"runId\":\"" + new string('z', 3 * BackwardLineScanner.MaxBlock));
        Assert.AreEqual(120, store.Latest()?.Seq, "readers skip the long unterminated tail");
        var reopened = TaskStateStore.Open(root, "build");
        Assert.AreEqual(TaskStateStore.TornLineRemovedCode, reopened.Warnings.Single().Code);
        Assert.AreEqual(121, reopened.Append(Entry(Run(1), RunStatus.Failed, 200)).Seq);
        Assert.HasCount(121, reopened.Entries().ToList());
        Assert.IsEmpty(store.Warnings);
    }

    [TestMethod]
    public async Task ThreadsAndSeveralInstancesInOneProcessTakeTurns()
    {
        using var dir = new TempDirectory();
        string root = dir.Combine("out");
        var first = TaskStateStore.Open(root, "build");
        var second = TaskStateStore.Open(root, "build");
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            var store = t % 2 == 0 ? first : second;
            for (int n = 0; n < 100; n++)
            {
                store.Append(Entry(Run(t), RunStatus.InProgress, n, detail: $"{t}:{n}"));
            }
        })));

        List<TaskStateEntry> entries = first.Entries().ToList();
        Assert.HasCount(800, entries);
        CollectionAssert.AreEqual(Enumerable.Range(1, 800).Select(i => (long)i).ToArray(), entries.Select(e => e.Seq).ToArray());
        Assert.AreEqual(800, entries.Select(e => e.StatusDetail).Distinct().Count());
        Assert.IsEmpty(first.Warnings);
        Assert.IsEmpty(second.Warnings);
    }

    [TestMethod]
    public async Task ReadersRacingAppendsSeeOnlyWholeEntries()
    {
        using var dir = new TempDirectory();
        string root = dir.Combine("out");
        var writer = TaskStateStore.Open(root, "build");
        var reader = TaskStateStore.Open(root, "build");
        using var stop = new CancellationTokenSource();
        long lastSeen = 0;
        int reads = 0;
        var readers = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                long latest = reader.Latest()?.Seq ?? 0;
                Assert.IsGreaterThanOrEqualTo(lastSeen, latest, "the newest entry never goes back");
                lastSeen = latest;
                long count = reader.Entries().LongCount();
                Assert.IsGreaterThanOrEqualTo(latest, count);
                reads++;
            }
        });

        for (int n = 0; n < 2000; n++)
        {
            writer.Append(Entry(Run(n % 10), RunStatus.InProgress, n));
        }

        await stop.CancelAsync();
        await readers;
        TestContext.WriteLine($"{reads} read passes during the appends");
        Assert.IsEmpty(reader.Warnings);
        Assert.AreEqual(2000, reader.Latest()?.Seq);
    }

    [TestMethod]
    public void AnAppendReadsTheSameFewBytesWith10And100000Lines()
    {
        using var dir = new TempDirectory();
        string root = dir.Combine("out");

        var small = TaskStateStore.Open(root, "small");
        for (int i = 0; i < 10; i++)
        {
            small.Append(Entry(Run(i % 50), RunStatus.InProgress, i));
        }

        long smallCost = CostOfOneAppend(small, Entry(Run(7), RunStatus.Succeeded, 11));

        // Prefilled in the store's own line format, numbered as the store would have numbered them.
        Directory.CreateDirectory(Path.Combine(root, "large"));
        string largeFile = Path.Combine(root, "large", TaskStateStore.FileName);
        using (var stream = new FileStream(largeFile, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            for (int i = 0; i < 100_000; i++)
            {
                stream.Write(TaskStateStore.EncodeLine(Entry(Run(i % 50), RunStatus.InProgress, i) with { ManifestPath = "m.json", Seq = i + 1 }));
            }
        }

        var large = TaskStateStore.Open(root, "large");
        byte[] head = new byte[4096];
        using (var file = File.OpenRead(largeFile))
        {
            file.ReadExactly(head);
        }

        long sizeBefore = new FileInfo(largeFile).Length;
        long largeCost = CostOfOneAppend(large, Entry(Run(7), RunStatus.Succeeded, 11));
        TestContext.WriteLine($"bytes read by one append: {smallCost} with 10 lines, {largeCost} with 100,000 lines ({sizeBefore:N0} bytes)");

        Assert.AreEqual(smallCost, largeCost, "an append reads the same bytes whatever the file size");
        Assert.IsLessThanOrEqualTo((long)BackwardLineScanner.FirstBlock, largeCost, "one small read at the end of the file");
        Assert.AreEqual(100_001, large.Latest()?.Seq);

        // Appended, not rewritten: the head is untouched and the file grew by exactly one line.
        long lineLength = TaskStateStore.EncodeLine(large.Latest()!).Length;
        Assert.AreEqual(sizeBefore + lineLength, new FileInfo(largeFile).Length);
        byte[] headAfter = new byte[4096];
        using (var file = File.OpenRead(largeFile))
        {
            file.ReadExactly(headAfter);
        }

        CollectionAssert.AreEqual(head, headAfter);
        for (int i = 0; i < 20; i++)
        {
            Assert.AreEqual(largeCost, CostOfOneAppend(large, Entry(Run(i), RunStatus.Failed, 12 + i, exitCode: 1)));
        }
    }

    [TestMethod]
    [DataRow("")]
    [DataRow(".")]
    [DataRow("..")]
    [DataRow("../escape")]
    [DataRow("a/b")]
    [DataRow("/etc")]
    [DataRow("with space")]
    public void InvalidTaskIdsAreRejectedBeforeAnythingIsCreated(string taskId)
    {
        using var dir = new TempDirectory();
        string root = dir.Combine("nested", "out");
        var ex = Assert.ThrowsExactly<OrchestratorException>(() => TaskStateStore.Open(root, taskId));
        Assert.AreEqual(OrchestratorErrorCode.InvalidTaskId, ex.Code);
        Assert.IsEmpty(Directory.GetFileSystemEntries(dir.Path), "nothing is created, inside the root or outside it");
    }

    [TestMethod]
    public void OpeningCreatesNothingAndTheFirstAppendCreatesOnlyTheTaskDirectory()
    {
        using var dir = new TempDirectory();
        string root = dir.Combine("out");
        var store = TaskStateStore.Open(root, "build");
        Assert.IsFalse(Directory.Exists(root));
        Assert.IsNull(store.Latest());
        Assert.IsFalse(Directory.Exists(root), "readers create nothing either");

        store.Append(Entry(Run(0), RunStatus.Queued, 0), durable: true);
        CollectionAssert.AreEquivalent(
            new[] { "runs.jsonl", "runs.jsonl.lock" },
            Directory.GetFiles(Path.Combine(root, "build")).Select(Path.GetFileName).ToArray());
        CollectionAssert.AreEqual(new[] { Path.Combine(root, "build") }, Directory.GetDirectories(root));
        Assert.AreEqual(Path.Combine(dir.Path, "out"), TaskStateStore.DefaultStateRoot(dir.Path));
    }

    [TestMethod]
    public void AStoreKeptOpenRecreatesItsTaskDirectoryWhenItWasDeletedBetweenAppends()
    {
        using var dir = new TempDirectory();
        string root = dir.Combine("out");
        var store = TaskStateStore.Open(root, "build");
        store.Append(Entry(Run(0), RunStatus.InProgress, 0));
        Directory.Delete(root, recursive: true);

        var stored = store.Append(Entry(Run(0), RunStatus.Succeeded, 1));

        Assert.AreEqual(1L, stored.Seq, "the file started over");
        var entries = TaskStateStore.Open(root, "build").Entries().ToList();
        Assert.HasCount(1, entries);
        Assert.AreEqual(RunStatus.Succeeded, entries[0].Status);
    }

    [TestMethod]
    public void InvalidEntriesAreRejectedAndLeaveTheFileAlone()
    {
        using var dir = new TempDirectory();
        var store = TaskStateStore.Open(dir.Combine("out"), "build");
        store.Append(Entry(Run(0), RunStatus.Queued, 0));
        byte[] before = File.ReadAllBytes(store.FilePath);

        Assert.AreEqual(OrchestratorErrorCode.InvalidRunId,
            Assert.ThrowsExactly<OrchestratorException>(() => store.Append(Entry("../run", RunStatus.Queued, 1))).Code);
        Assert.AreEqual(OrchestratorErrorCode.InvalidRunId,
            Assert.ThrowsExactly<OrchestratorException>(() => store.Append(Entry(Run(1), RunStatus.Queued, 1) with { ParentRunId = "x" })).Code);
        Assert.AreEqual(OrchestratorErrorCode.InvalidRequest,
            Assert.ThrowsExactly<OrchestratorException>(() => store.Append(Entry(Run(1), (RunStatus)42, 1))).Code);
        Assert.AreEqual(OrchestratorErrorCode.InvalidRequest,
            Assert.ThrowsExactly<OrchestratorException>(() => store.Append(Entry(Run(1), RunStatus.Queued, 1, detail: new string('x', TaskStateStore.MaxLineBytes)))).Code);

        CollectionAssert.AreEqual(before, File.ReadAllBytes(store.FilePath));
    }

    [TestMethod]
    public void NewlinesInsideValuesCannotSplitALine()
    {
        using var dir = new TempDirectory();
        var store = TaskStateStore.Open(dir.Combine("out"), "build");
        store.Append(Entry(Run(0), RunStatus.Failed, 0, detail: "line one\nline two\r\n\u2028end"));
        Assert.HasCount(1, File.ReadAllLines(store.FilePath));
        Assert.AreEqual("line one\nline two\r\n\u2028end", store.Latest()?.StatusDetail);
    }

    private static long CostOfOneAppend(TaskStateStore store, TaskStateEntry entry)
    {
        long before = store.BytesReadForAppends;
        store.Append(entry);
        return store.BytesReadForAppends - before;
    }

    private static string Run(int i) => RunId.Validate($"2026-11-22T03-{10 + (i / 60):D2}-{i % 60:D2}-000Z-{i:x8}");

    private static TaskStateEntry Entry(string runId, RunStatus status, int second, int? exitCode = null, string? detail = null) => new()
    {
        RunId = runId,
        Status = status,
        Timestamp = T0.AddSeconds(second),
        Runner = RunnerKind.MSBuild,
        ManifestPath = $"../../.runs/build/cli/{runId}/manifest.json",
        ExitCode = exitCode,
        StatusDetail = detail,
    };
}
