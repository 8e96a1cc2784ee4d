using System.Text;
using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Tests.Exec;

[TestClass]
public sealed class StdioTrackerTests
{
    [TestMethod]
    public void OutputWithinTheCapIsKeptWhole()
    {
        var tracker = new StdioTracker(16);
        tracker.Append("hello "u8);
        tracker.Append("world"u8);

        var capture = tracker.Snapshot();

        Assert.AreEqual("hello world", capture.Text);
        Assert.IsFalse(capture.Truncated);
        Assert.AreEqual(11, capture.TotalBytes);
        Assert.AreEqual(0, capture.OmittedBytes);
    }

    [TestMethod]
    public void OutputExactlyAtTheCapIsNotTruncated()
    {
        var tracker = new StdioTracker(10);
        tracker.Append("0123456789"u8);

        Assert.AreEqual("0123456789", tracker.Snapshot().Text);
        Assert.IsFalse(tracker.Truncated);
    }

    [TestMethod]
    public void LongOutputKeepsHeadAndTailWithAMarkerNamingTheOmittedBytes()
    {
        var tracker = new StdioTracker(8);
        tracker.Append("ABCD"u8);
        tracker.Append("middle-part"u8);
        tracker.Append("WXYZ"u8);

        var capture = tracker.Snapshot();

        Assert.IsTrue(capture.Truncated);
        Assert.AreEqual(19, capture.TotalBytes);
        Assert.AreEqual(11, capture.OmittedBytes);
        Assert.AreEqual("ABCD\n... [11 bytes omitted] ...\nWXYZ", capture.Text);
    }

    [TestMethod]
    public void TailRingWrapsAndKeepsTheLatestBytesInOrder()
    {
        var tracker = new StdioTracker(8);
        tracker.Append("HEAD"u8);
        foreach (char c in "abcdefghij")
        {
            tracker.Append(Encoding.ASCII.GetBytes([c]));
        }

        Assert.AreEqual("ghij", Encoding.ASCII.GetString(tracker.TailBytes()));
        Assert.AreEqual("HEAD", Encoding.ASCII.GetString(tracker.Head));
    }

    [TestMethod]
    public void AnAppendLargerThanTheTailReplacesIt()
    {
        var tracker = new StdioTracker(8);
        tracker.Append("HEADxxxxxxxxxxxxxxxxLAST"u8);

        Assert.AreEqual("LAST", Encoding.ASCII.GetString(tracker.TailBytes()));
        Assert.AreEqual(16, tracker.OmittedBytes);
    }

    [TestMethod]
    public void MemoryStaysAtTheCapWhateverIsAppended()
    {
        var tracker = new StdioTracker(1024);
        byte[] block = new byte[100_000];
        Random.Shared.NextBytes(block);
        for (int i = 0; i < 200; i++)
        {
            tracker.Append(block);
        }

        Assert.AreEqual(20_000_000, tracker.TotalBytes);
        Assert.AreEqual(512, tracker.Head.Length);
        Assert.AreEqual(512, tracker.TailBytes().Length);
        Assert.AreEqual(1024, tracker.CapBytes);
    }

    [TestMethod]
    public void CutPointsNeverSplitAUtf8Character()
    {
        // "é" is two bytes: the head ends inside one and the tail starts inside another.
        var tracker = new StdioTracker(6);
        tracker.Append(Encoding.UTF8.GetBytes("aaéééééééééébé"));

        var capture = tracker.Snapshot();

        Assert.IsFalse(capture.InvalidUtf8, capture.Text);
        Assert.IsFalse(capture.Text.Contains('\uFFFD'), capture.Text);
        Assert.IsTrue(capture.Text.StartsWith("aa", StringComparison.Ordinal), capture.Text);
        Assert.IsTrue(capture.Text.EndsWith("bé", StringComparison.Ordinal), capture.Text);
        long shown = Encoding.UTF8.GetByteCount(capture.Text[..capture.Text.IndexOf('\n')]) +
                     Encoding.UTF8.GetByteCount(capture.Text[(capture.Text.LastIndexOf('\n') + 1)..]);
        Assert.AreEqual(capture.TotalBytes, shown + capture.OmittedBytes);
    }

    [TestMethod]
    public void InvalidUtf8IsFlaggedAndShownAsReplacementCharacters()
    {
        var tracker = new StdioTracker(64);
        tracker.Append([0x61, 0xFF, 0x62]);

        var capture = tracker.Snapshot();

        Assert.IsTrue(capture.InvalidUtf8);
        Assert.AreEqual("a\uFFFDb", capture.Text);
    }
}
