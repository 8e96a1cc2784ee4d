using System.Text;
using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Tests.Exec;

[TestClass]
public sealed class OutputChunkerTests
{
    private sealed record Chunk(OutputStreamKind Stream, byte[] Bytes, bool Valid);

    private static (OutputChunker Chunker, List<Chunk> Chunks) Create(long budget, int chunkBytes = 8192)
    {
        var chunks = new List<Chunk>();
        var chunker = new OutputChunker(budget, (stream, data, valid) => chunks.Add(new Chunk(stream, data.ToArray(), valid)), chunkBytes);
        return (chunker, chunks);
    }

    [TestMethod]
    public void ChunksNeverExceedTheChunkSize()
    {
        var (chunker, chunks) = Create(0);
        chunker.Push(OutputStreamKind.Stdout, new byte[20_000]);

        Assert.AreEqual(3, chunks.Count);
        Assert.IsTrue(chunks.All(c => c.Bytes.Length <= 8192));
        Assert.AreEqual(20_000, chunks.Sum(c => c.Bytes.Length));
    }

    [TestMethod]
    public void ACharacterSplitAcrossReadsIsEmittedWhole()
    {
        var (chunker, chunks) = Create(0);
        byte[] euro = Encoding.UTF8.GetBytes("€"); // 3 bytes
        chunker.Push(OutputStreamKind.Stdout, [(byte)'a', euro[0]]);
        chunker.Push(OutputStreamKind.Stdout, [euro[1]]);
        chunker.Push(OutputStreamKind.Stdout, [euro[2], (byte)'b']);

        Assert.IsTrue(chunks.All(c => c.Valid));
        Assert.AreEqual("a€b", string.Concat(chunks.Select(c => Encoding.UTF8.GetString(c.Bytes))));
    }

    [TestMethod]
    public void ChunkBoundariesFallOnCharacterBoundaries()
    {
        var (chunker, chunks) = Create(0, chunkBytes: 8);
        chunker.Push(OutputStreamKind.Stdout, Encoding.UTF8.GetBytes(new string('é', 20)));

        Assert.IsTrue(chunks.All(c => c.Valid && c.Bytes.Length <= 8));
        Assert.AreEqual(new string('é', 20), string.Concat(chunks.Select(c => Encoding.UTF8.GetString(c.Bytes))));
    }

    [TestMethod]
    public void InvalidBytesTravelExactlyAndAreFlagged()
    {
        var (chunker, chunks) = Create(0);
        byte[] data = [0x61, 0x00, 0xFF, 0xFE, 0x62];
        chunker.Push(OutputStreamKind.Stderr, data);
        chunker.Complete(OutputStreamKind.Stderr);

        Assert.AreEqual(1, chunks.Count);
        Assert.IsFalse(chunks[0].Valid);
        CollectionAssert.AreEqual(data, chunks[0].Bytes);
        Assert.AreEqual(OutputStreamKind.Stderr, chunks[0].Stream);
    }

    [TestMethod]
    public void AnIncompleteSequenceAtEndOfStreamIsFlushedOnComplete()
    {
        var (chunker, chunks) = Create(0);
        chunker.Push(OutputStreamKind.Stdout, [0x61, 0xE2, 0x82]);
        Assert.AreEqual(1, chunks.Count);

        chunker.Complete(OutputStreamKind.Stdout);

        Assert.AreEqual(2, chunks.Count);
        CollectionAssert.AreEqual(new byte[] { 0xE2, 0x82 }, chunks[1].Bytes);
        Assert.IsFalse(chunks[1].Valid);
    }

    [TestMethod]
    public void StreamsKeepSeparatePendingBytes()
    {
        var (chunker, chunks) = Create(0);
        byte[] euro = Encoding.UTF8.GetBytes("€");
        chunker.Push(OutputStreamKind.Stdout, [euro[0]]);
        chunker.Push(OutputStreamKind.Stderr, "err"u8);
        chunker.Push(OutputStreamKind.Stdout, [euro[1], euro[2]]);

        Assert.AreEqual(2, chunks.Count);
        Assert.AreEqual("err", Encoding.UTF8.GetString(chunks[0].Bytes));
        Assert.AreEqual("€", Encoding.UTF8.GetString(chunks[1].Bytes));
    }

    [TestMethod]
    public void BudgetStopsEmissionAndCountsWhatWasNotEmitted()
    {
        var (chunker, chunks) = Create(budget: 10_000);
        chunker.Push(OutputStreamKind.Stdout, new byte[8192]);
        chunker.Push(OutputStreamKind.Stdout, new byte[8192]);
        chunker.Push(OutputStreamKind.Stderr, new byte[20_000]);

        Assert.AreEqual(10_000, chunks.Sum(c => c.Bytes.Length));
        Assert.AreEqual(10_000, chunker.EmittedBytes);
        Assert.AreEqual(2, chunker.EmittedChunks);
        Assert.IsTrue(chunker.BudgetExhausted);
        Assert.AreEqual(8192 + 8192 + 20_000 - 10_000, chunker.NotEmittedBytes);
        Assert.AreEqual(1 + 3, chunker.NotEmittedChunks);
    }

    [TestMethod]
    public void ZeroBudgetMeansUnlimited()
    {
        var (chunker, chunks) = Create(budget: 0);
        for (int i = 0; i < 300; i++)
        {
            chunker.Push(OutputStreamKind.Stdout, new byte[8192]);
        }

        Assert.AreEqual(300 * 8192, chunks.Sum(c => c.Bytes.Length));
        Assert.AreEqual(0, chunker.NotEmittedBytes);
        Assert.IsFalse(chunker.BudgetExhausted);
    }
}
