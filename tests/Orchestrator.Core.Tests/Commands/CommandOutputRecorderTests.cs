using System.Text;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Commands;

[TestClass]
public sealed class CommandOutputRecorderTests
{
    [TestMethod]
    public async Task OutputPastTheBudgetIsSplicedToTheRawLogAndTheTailIsReadBack()
    {
        using var dir = new TempDirectory();
        var limits = new OutputLimits(CaptureBytes: 64, EventBudgetBytes: 4096, ChunkBytes: 1024);
        long chunkBytes = 0;
        using var recorder = new CommandOutputRecorder(dir.Combine("out.log"), dir.Combine("err.log"), limits, (_, chunk, _) => chunkBytes += chunk.Length);

        // 3 MB of numbered lines: far past the budget, so most of it should bypass user space.
        var outcome = await ProcessRunner.RunAsync(Launches.Shell("seq 1 400000; echo THE-END"), recorder, Launches.Limits(), null, CancellationToken.None);
        recorder.Complete();

        Assert.AreEqual(0, outcome.ExitCode);
        string expected = string.Concat(Enumerable.Range(1, 400000).Select(i => i + "\n")) + "THE-END\n";
        Assert.AreEqual(expected, await File.ReadAllTextAsync(dir.Combine("out.log")), "the raw log must hold every byte in order");
        Assert.AreEqual(4096, chunkBytes);
        Assert.AreEqual(Encoding.UTF8.GetByteCount(expected) - 4096, recorder.Chunker.NotEmittedBytes);
        var capture = recorder.Capture(OutputStreamKind.Stdout);
        Assert.AreEqual(Encoding.UTF8.GetByteCount(expected), capture.TotalBytes);
        Assert.IsTrue(capture.Text.StartsWith("1\n2\n3\n", StringComparison.Ordinal), capture.Text);
        Assert.IsTrue(capture.Text.EndsWith("399999\n400000\nTHE-END\n", StringComparison.Ordinal), "the tail must be the real end of the output: " + capture.Text);
    }

    [TestMethod]
    public async Task ADoorTapKeepsEveryByteInUserSpace()
    {
        using var dir = new TempDirectory();
        var tap = new CountingTap();
        var limits = new OutputLimits(CaptureBytes: 64, EventBudgetBytes: 4096, ChunkBytes: 1024);
        using var recorder = new CommandOutputRecorder(dir.Combine("out.log"), dir.Combine("err.log"), limits, (_, _, _) => { }, "001-x", [tap]);

        await ProcessRunner.RunAsync(Launches.Shell("head -c 2000000 /dev/zero"), recorder, Launches.Limits(), null, CancellationToken.None);
        recorder.Complete();

        Assert.AreEqual(2_000_000, tap.Bytes);
        Assert.AreEqual(1, tap.Completed);
        Assert.AreEqual(2_000_000, new FileInfo(dir.Combine("out.log")).Length);
    }

    private sealed class CountingTap : IOutputTap
    {
        public long Bytes { get; private set; }

        public int Completed { get; private set; }

        public void OnOutput(string execId, OutputStreamKind stream, ReadOnlySpan<byte> data) => Bytes += data.Length;

        public void OnCompleted(string execId) => Completed++;
    }
}
