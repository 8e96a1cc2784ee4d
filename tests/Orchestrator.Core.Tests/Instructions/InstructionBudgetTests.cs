using System.Text;
using Orchestrator.Core.Instructions;
using Orchestrator.Core.Tests.Support;
using static Orchestrator.Core.Tests.Instructions.InstructionFiles;

namespace Orchestrator.Core.Tests.Instructions;

[TestClass]
public sealed class InstructionBudgetTests
{
    private const int Budget = 32 * 1024;

    [TestMethod]
    public void TheDefaultBudgetIs32KiB() =>
        Assert.AreEqual(Budget, new InstructionOptions("/tmp").BudgetBytes);

    [TestMethod]
    public void AFileCrossingTheBudgetIsCutExactlyAtTheBudgetWhenThatIsACharacterBoundary()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        string rootText = new('r', 1000);
        Write(Path.Combine(repo, "AGENTS.md"), rootText);
        string leaf = Write(Path.Combine(repo, "leaf", "AGENTS.md"), new string('b', 40_000));

        var set = InstructionLoader.Load(new InstructionOptions(Path.Combine(repo, "leaf")), NoEnvironment);

        // 1000 + "\n\n" + 31766 = exactly 32768: separators count against the budget.
        Assert.AreEqual(Budget, Encoding.UTF8.GetByteCount(set.Text));
        Assert.AreEqual(Budget - 1002, set.Sources[1].Bytes);
        Assert.AreEqual(Sha256(new string('b', Budget - 1002)), set.Sources[1].Sha256);
        Assert.IsTrue(set.Sources[1].Truncated);
        Assert.IsFalse(set.Sources[0].Truncated);
        Assert.IsTrue(set.Truncated);
        Assert.AreEqual(leaf + ": cut to its first 31766 bytes: the instruction budget of 32768 bytes is reached", set.Warnings.Single());
        Assert.AreEqual(Sha256(set.Text), set.Hash);
    }

    [TestMethod]
    public void TheCutBacksOffToTheStartOfAFourByteCharacterThatStraddlesTheBudget()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        // 32766 ASCII bytes, then U+1F600 (4 bytes) covering bytes 32766..32769: the budget ends inside it.
        string text = new string('a', Budget - 2) + "😀" + new string('z', 100);
        string path = Write(Path.Combine(repo, "AGENTS.md"), text);
        string droppedSub = Write(Path.Combine(repo, "sub", "AGENTS.md"), "dropped 1");
        string droppedLeaf = Write(Path.Combine(repo, "sub", "leaf", "AGENTS.md"), "dropped 2");

        var set = InstructionLoader.Load(new InstructionOptions(Path.Combine(repo, "sub", "leaf")), NoEnvironment);

        Assert.AreEqual(new string('a', Budget - 2), set.Text);
        var source = set.Sources.Single();
        Assert.AreEqual(path, source.Path);
        Assert.AreEqual(Budget - 2, source.Bytes);
        Assert.IsTrue(source.Truncated);
        Assert.AreEqual(Sha256(Encoding.UTF8.GetBytes(text).AsSpan(0, Budget - 2)), source.Sha256, "the hash covers the bytes taken");
        Assert.IsTrue(set.Truncated);
        Assert.AreEqual(3, set.Warnings.Count, string.Join("\n", set.Warnings));
        Assert.AreEqual(path + ": cut to its first 32766 bytes: the instruction budget of 32768 bytes is reached", set.Warnings[0]);
        Assert.AreEqual(droppedSub + ": dropped: the instruction budget of 32768 bytes is used up by earlier files", set.Warnings[1]);
        Assert.AreEqual(droppedLeaf + ": dropped: the instruction budget of 32768 bytes is used up by earlier files", set.Warnings[2]);
    }

    [TestMethod]
    public void ThreeByteCharactersAtTheEdgeAreNeverSplit()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        Write(Path.Combine(repo, "AGENTS.md"), new string('r', 100));
        // After 100 + 2 bytes, 32666 remain: 10888 whole euro signs (32664 bytes) fit, the 10889th would straddle.
        Write(Path.Combine(repo, "leaf", "AGENTS.md"), new string('€', 20_000));

        var set = InstructionLoader.Load(new InstructionOptions(Path.Combine(repo, "leaf")), NoEnvironment);

        Assert.AreEqual(32664, set.Sources[1].Bytes);
        Assert.AreEqual(new string('r', 100) + "\n\n" + new string('€', 10888), set.Text);
        Assert.IsFalse(set.Text.Contains('\uFFFD'), "no replacement character from a split sequence");
        Assert.AreEqual(Budget - 2, Encoding.UTF8.GetByteCount(set.Text));
    }

    [TestMethod]
    public void AFileThatExactlyFillsTheBudgetIsWholeAndTheNextIsDropped()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        Write(Path.Combine(repo, "AGENTS.md"), new string('x', Budget));
        string next = Write(Path.Combine(repo, "sub", "AGENTS.md"), "y");

        var set = InstructionLoader.Load(new InstructionOptions(Path.Combine(repo, "sub")), NoEnvironment);

        Assert.AreEqual(Budget, set.Sources.Single().Bytes);
        Assert.IsFalse(set.Sources.Single().Truncated);
        Assert.IsTrue(set.Truncated, "a file was dropped");
        Assert.AreEqual(next + ": dropped: the instruction budget of 32768 bytes is used up by earlier files", set.Warnings.Single());
    }

    [TestMethod]
    public void TheBudgetIsConfigurable()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        Write(Path.Combine(repo, "AGENTS.md"), "12345");
        Write(Path.Combine(repo, "sub", "AGENTS.md"), "abcdefgh");

        var set = InstructionLoader.Load(new InstructionOptions(Path.Combine(repo, "sub")) { BudgetBytes = 10 }, NoEnvironment);

        Assert.AreEqual("12345\n\nabc", set.Text);
        Assert.AreEqual(3, set.Sources[1].Bytes);
        Assert.IsTrue(set.Sources[1].Truncated);
    }

    [TestMethod]
    public void ATenMegabyteFileIsCutWithoutBeingReadWhole()
    {
        using var dir = new TempDirectory("orch-instructions");
        string repo = Repository(dir.Combine("repo"));
        byte[] line = Encoding.ASCII.GetBytes("Always run the linter before committing. Tabs, not spaces.\n");
        byte[] huge = new byte[10 * 1024 * 1024];
        for (int offset = 0; offset < huge.Length; offset += line.Length)
        {
            line.AsSpan(0, Math.Min(line.Length, huge.Length - offset)).CopyTo(huge.AsSpan(offset));
        }

        string path = WriteBytes(Path.Combine(repo, "AGENTS.md"), huge);
        var options = new InstructionOptions(repo);
        InstructionLoader.Load(options, NoEnvironment); // warm up: first-use loading (crypto, globalization) reads files too

        long before = BytesReadByThisThread();
        var set = InstructionLoader.Load(options, NoEnvironment);
        long after = BytesReadByThisThread();

        var source = set.Sources.Single();
        Assert.AreEqual(path, source.Path);
        Assert.AreEqual(Budget, source.Bytes);
        Assert.IsTrue(source.Truncated);
        Assert.AreEqual(Encoding.ASCII.GetString(huge, 0, Budget), set.Text);
        Assert.AreEqual(Sha256(huge.AsSpan(0, Budget)), source.Sha256);
        if (before >= 0 && after >= 0)
        {
            // The loader reads at most budget + 4 bytes of the file; the rest of the allowance is the
            // first read of /proc/thread-self/io itself. Either way it is nowhere near 10 MB.
            Assert.IsTrue(after - before <= Budget + 4 + 1024, $"read {after - before} bytes for a {Budget}-byte budget");
        }
    }

    /// <summary>rchar of the calling thread (bytes returned by read(2) and friends), or -1 when the kernel does not say.</summary>
    private static long BytesReadByThisThread()
    {
        const string path = "/proc/thread-self/io";
        if (!File.Exists(path))
        {
            return -1;
        }

        foreach (string entry in File.ReadAllLines(path))
        {
            if (entry.StartsWith("rchar:", StringComparison.Ordinal))
            {
                return long.Parse(entry["rchar:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
