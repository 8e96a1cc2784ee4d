using System.Text;
using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Tests.Exec;

[TestClass]
public sealed class LineAssemblerTests
{
    [TestMethod]
    public void LinesAreSplitOnNewlinesAcrossChunksAndCarriageReturnsDropped()
    {
        var lines = new List<string>();
        var assembler = new LineAssembler(lines.Add);
        assembler.Append("one\r\ntw"u8);
        assembler.Append("o\nthree"u8);
        assembler.Flush();

        CollectionAssert.AreEqual(new[] { "one", "two", "three" }, lines);
    }

    [TestMethod]
    public void EmptyLinesAreKept()
    {
        var lines = new List<string>();
        var assembler = new LineAssembler(lines.Add);
        assembler.Append("a\n\nb\n"u8);
        assembler.Flush();

        CollectionAssert.AreEqual(new[] { "a", "", "b" }, lines);
    }

    [TestMethod]
    public void AnOverlongLineIsCutIntoPiecesOnCharacterBoundaries()
    {
        var lines = new List<string>();
        var assembler = new LineAssembler(lines.Add, maxLineBytes: 7);
        assembler.Append(Encoding.UTF8.GetBytes("ééééé\n")); // 10 bytes before the newline

        Assert.AreEqual(2, lines.Count);
        Assert.AreEqual("ééé", lines[0]);
        Assert.AreEqual("éé", lines[1]);
    }

    [TestMethod]
    public void HundredsOfMegabytesWithoutNewlineStayBounded()
    {
        int count = 0;
        int longest = 0;
        var assembler = new LineAssembler(line => { count++; longest = Math.Max(longest, line.Length); });
        byte[] block = new byte[1 << 20];
        block.AsSpan().Fill((byte)'x');
        for (int i = 0; i < 64; i++)
        {
            assembler.Append(block);
        }

        assembler.Flush();

        Assert.AreEqual(LineAssembler.DefaultMaxLineBytes, longest);
        Assert.AreEqual((64 << 20) / LineAssembler.DefaultMaxLineBytes, count);
    }
}
