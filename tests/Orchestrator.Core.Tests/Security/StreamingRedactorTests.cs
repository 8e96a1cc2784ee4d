using System.Buffers;
using System.Text;
using Orchestrator.Core.Security;
using static Orchestrator.Core.Tests.Security.Redaction;

namespace Orchestrator.Core.Tests.Security;

[TestClass]
public sealed class StreamingRedactorTests
{
    private static byte[] U(string text) => Encoding.UTF8.GetBytes(text);

    private static string S(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    [TestMethod]
    public void ASecretIsCaughtAtEverySplitIntoTwoChunks()
    {
        var set = Literals("hunter22");
        byte[] input = U("login hunter22 ok");
        for (int cut = 0; cut <= input.Length; cut++)
        {
            Assert.AreEqual("login *** ok", S(Stream(set, Split(input, cut))), $"cut at {cut}");
        }
    }

    [TestMethod]
    public void ASecretIsCaughtAtEverySplitIntoThreeChunks()
    {
        var set = Literals("hunter22", "tok-123456");
        byte[] input = U("a hunter22 b tok-123456");
        for (int first = 0; first <= input.Length; first++)
        {
            for (int second = first; second <= input.Length; second++)
            {
                Assert.AreEqual("a *** b ***", S(Stream(set, Split(input, first, second))), $"cuts at {first}, {second}");
            }
        }
    }

    [TestMethod]
    public void EveryChunkingOfSmallInputsGivesTheWholeInputResult()
    {
        // Exhaustive over a small alphabet: many secrets overlap, share prefixes or contain each other.
        var random = new Random(7);
        string[][] secretSets =
        [
            ["abca"],
            ["abcd", "cdab"],
            ["aaaa"],
            ["abab", "baba", "abababab"],
            ["abcd", "abcdabcd", "bcda"],
            ["aabb", "abba", "bbaa", "baab"],
        ];
        foreach (string[] secrets in secretSets)
        {
            var set = Literals(secrets);
            for (int sample = 0; sample < 150; sample++)
            {
                byte[] input = [.. Enumerable.Range(0, random.Next(0, 14)).Select(_ => (byte)"abcd"[random.Next(secrets.Length == 1 && secrets[0] == "aaaa" ? 2 : 4)])];
                byte[] expected = Reference(input, set.Literals);
                for (int first = 0; first <= input.Length; first++)
                {
                    for (int second = first; second <= input.Length; second++)
                    {
                        CollectionAssert.AreEqual(expected, Stream(set, Split(input, first, second)),
                            $"secrets {string.Join(',', secrets)}, input '{S(input)}', cuts {first},{second}");
                    }
                }
            }
        }
    }

    [TestMethod]
    public void RandomChunkingsOfLargerInputsMatchTheRuleAndHoldBackLittle()
    {
        var random = new Random(11);
        for (int round = 0; round < 200; round++)
        {
            string[] secrets = [.. Enumerable.Range(0, random.Next(1, 6)).Select(_ => new string([.. Enumerable.Range(0, random.Next(4, 12)).Select(_ => "xyz€"[random.Next(4)])]))];
            var set = Literals(secrets);
            byte[] input = U(new string([.. Enumerable.Range(0, random.Next(0, 400)).Select(_ => "xyz€\n"[random.Next(5)])]));
            var cuts = Enumerable.Range(0, random.Next(0, 20)).Select(_ => random.Next(input.Length + 1)).Order().ToArray();
            int maxHeld = 0;

            byte[] actual = Stream(set, Split(input, cuts), r => maxHeld = Math.Max(maxHeld, r.HeldBytes));

            CollectionAssert.AreEqual(Reference(input, set.Literals), actual, $"round {round}");
            Assert.IsTrue(maxHeld <= set.LongestLiteralBytes - 1, $"held {maxHeld} bytes, longest secret {set.LongestLiteralBytes}");
        }
    }

    [TestMethod]
    public void OverlappingSecretsBecomeOneMask()
    {
        var set = Literals("abcd", "cdef");

        Assert.AreEqual("x***x", Stream(set, "xabcdefx"));
        Assert.AreEqual("x***x", Stream(set, "xab", "cd", "efx"));
        Assert.AreEqual("***", Stream(set, "abcdabcd"), "adjacent occurrences give one mask");
        Assert.AreEqual("*** ***", Stream(set, "abcd cdef"));
    }

    [TestMethod]
    public void ASecretThatIsAPrefixOfAnotherIsMaskedEitherWay()
    {
        var set = Literals("abcd", "abcdefgh");

        Assert.AreEqual("***!", Stream(set, "abcdefgh!"));
        Assert.AreEqual("***efg!", Stream(set, "abcdefg!"));
        Assert.AreEqual("***", Stream(set, "abcd"));
        for (int cut = 0; cut <= 9; cut++)
        {
            Assert.AreEqual("***!", S(Stream(set, Split(U("abcdefgh!"), cut))), $"cut at {cut}");
            Assert.AreEqual("***ef!", S(Stream(set, Split(U("abcdef!"), Math.Min(cut, 7)))), $"cut at {cut}");
        }
    }

    [TestMethod]
    public void SecretsAtTheVeryStartAndEndOfTheStream()
    {
        var set = Literals("s3cr3t-value");

        Assert.AreEqual("*** in the middle ***", Stream(set, "s3cr3t-value in the middle s3cr3t-value"));
        Assert.AreEqual("***", Stream(set, "s3cr3t-value"));
        Assert.AreEqual("***", Stream(set, "s3cr3t", "-value"));
        Assert.AreEqual("end ***", Stream(set, "end s3cr3t-v", "alue"));
    }

    [TestMethod]
    public void NothingIsHeldBackWhenNothingCouldBeASecret()
    {
        var set = Literals("hunter22");
        var redactor = new StreamingRedactor(set);
        var output = new ArrayBufferWriter<byte>();

        redactor.Redact(U("plain output with no h at the end\n"), output);
        Assert.AreEqual(0, redactor.HeldBytes);
        Assert.AreEqual("plain output with no h at the end\n", S(output.WrittenSpan.ToArray()));

        redactor.Redact(U("ends with hun"), output);
        Assert.AreEqual(3, redactor.HeldBytes, "only the possible start of a secret waits");
        redactor.Redact(U("gry"), output);
        Assert.AreEqual(0, redactor.HeldBytes);
        Assert.AreEqual("plain output with no h at the end\nends with hungry", S(output.WrittenSpan.ToArray()));
    }

    [TestMethod]
    public void WithoutSecretsEveryChunkIsCopiedAsIs()
    {
        var redactor = new StreamingRedactor(SecretSet.Empty);
        var output = new ArrayBufferWriter<byte>();
        byte[] data = new byte[10_000];
        new Random(3).NextBytes(data);

        redactor.Redact(data, output);

        Assert.AreEqual(0, redactor.HeldBytes);
        CollectionAssert.AreEqual(data, output.WrittenSpan.ToArray());
    }

    [TestMethod]
    public void AtMostTheLongestSecretMinusOneByteIsHeld()
    {
        var set = Literals("abcdefgh", "abcd");
        var redactor = new StreamingRedactor(set);
        var output = new ArrayBufferWriter<byte>();

        redactor.Redact(U("xxabcdefg"), output);

        Assert.AreEqual(7, redactor.HeldBytes);
        Assert.AreEqual("xx", S(output.WrittenSpan.ToArray()));
    }

    [TestMethod]
    public void FlushEmitsWhatWasHeld()
    {
        var set = Literals("hunter22");
        var redactor = new StreamingRedactor(set);
        var output = new ArrayBufferWriter<byte>();
        redactor.Redact(U("password: hunter2"), output);
        Assert.AreEqual("password: ", S(output.WrittenSpan.ToArray()));

        redactor.Flush(output);

        Assert.AreEqual("password: hunter2", S(output.WrittenSpan.ToArray()));
        Assert.AreEqual(0, redactor.HeldBytes);
    }

    [TestMethod]
    public void MultiByteSecretsAreCaughtWhenCutInsideACharacter()
    {
        var set = Literals("pässwörd€", "日本語の鍵");
        byte[] input = U("ä pässwörd€ 日本語の鍵 é");
        for (int first = 0; first <= input.Length; first++)
        {
            for (int second = first; second <= input.Length; second += 3)
            {
                Assert.AreEqual("ä *** *** é", S(Stream(set, Split(input, first, second))), $"cuts at {first}, {second}");
            }
        }
    }

    [TestMethod]
    public void PatternsMaskMatchesWithinLinesWhereverTheChunksAreCut()
    {
        var set = SecretSet.Create(null, extraValues: ["hunter22"], patterns: ["ghp_[A-Za-z0-9]{8,}", "Bearer [^ ]+"]);
        byte[] input = U("push ghp_abcDEF123456 done\nAuthorization: Bearer xyz.abc hunter22\nghp_short\n tail ghp_ABCDEFGH");
        const string expected = "push *** done\nAuthorization: *** ***\nghp_short\n tail ***";
        for (int cut = 0; cut <= input.Length; cut++)
        {
            Assert.AreEqual(expected, S(Stream(set, Split(input, cut))), $"cut at {cut}");
        }
    }

    [TestMethod]
    public void APatternDoesNotMatchAcrossLines()
    {
        var set = SecretSet.Create(null, patterns: ["begin\\s+end"]);

        Assert.AreEqual("*** begin\nend", Stream(set, "begin end begin\nend"));
    }

    [TestMethod]
    public void PatternMatchingKeepsTheOtherBytesExactlyEvenInvalidUtf8()
    {
        var set = SecretSet.Create(null, patterns: ["key=[0-9a-f]+"]);
        byte[] input = [0xFF, .. U("é key=00ff 😀"), 0xC3, .. U(" key=ab"), 0x80, (byte)'\n', 0xFE];

        byte[] actual = Stream(set, [input]);

        CollectionAssert.AreEqual(
            (byte[])[0xFF, .. U("é *** 😀"), 0xC3, .. U(" ***"), 0x80, (byte)'\n', 0xFE],
            actual);
    }

    [TestMethod]
    public void ALineWhosePatternTimesOutIsMaskedWhole()
    {
        var set = SecretSet.Create(null, patterns: ["^(a+)+$"], patternTimeout: TimeSpan.FromMilliseconds(1));

        Assert.AreEqual("ok\n***\nok", Stream(set, "ok\n" + new string('a', 40) + "!\nok"));
    }

    [TestMethod]
    public void HugeInputWithoutNewlinesStaysBounded()
    {
        var set = SecretSet.Create(null, extraValues: ["hunter22"], patterns: ["tok_[0-9]{6}"]);
        var redactor = new StreamingRedactor(set);
        var output = new ArrayBufferWriter<byte>();
        byte[] chunk = U(string.Concat(Enumerable.Repeat("0123456789abcdef", 512))); // 8 KiB, no newline
        long written = 0;
        for (int i = 0; i < 1280; i++) // 10 MiB
        {
            redactor.Redact(chunk, output);
            Assert.IsTrue(redactor.HeldBytes < StreamingRedactor.MaxLineBytes + set.LongestLiteralBytes, $"held {redactor.HeldBytes}");
            written += output.WrittenCount;
            output.ResetWrittenCount();
        }

        redactor.Redact(U("tok_123456 hunter22"), output);
        redactor.Flush(output);
        written += output.WrittenCount;

        Assert.AreEqual(1280L * chunk.Length + "*** ***".Length, written);
        StringAssert.EndsWith(S(output.WrittenSpan.ToArray()), "*** ***");
    }

    [TestMethod]
    public void APatternIsMatchedWithinEachPieceOfAnOverlongLine()
    {
        var set = SecretSet.Create(null, patterns: ["tok_[0-9]{6}"]);
        string filler = new('x', StreamingRedactor.MaxLineBytes - 20);
        string input = filler + " tok_123456 " + filler + " tok_654321\n";
        string expected = filler + " *** " + filler + " ***\n";
        byte[] bytes = U(input);

        foreach (int chunkSize in new[] { 1000, 8192, bytes.Length })
        {
            var chunks = bytes.Chunk(chunkSize).ToArray();
            Assert.AreEqual(expected, S(Stream(set, chunks)), $"chunks of {chunkSize}");
        }
    }

    [TestMethod]
    public void LiteralsAndPatternsTogetherDoNotDependOnChunking()
    {
        var random = new Random(5);
        var set = SecretSet.Create(null, extraValues: ["abcd", "dcba", "a€bc"], patterns: ["b+c{2,}"]);
        for (int round = 0; round < 300; round++)
        {
            byte[] input = U(new string([.. Enumerable.Range(0, random.Next(0, 60)).Select(_ => "abcd€\n"[random.Next(6)])]));
            byte[] whole = Stream(set, [input]);
            var cuts = Enumerable.Range(0, random.Next(1, 8)).Select(_ => random.Next(input.Length + 1)).Order().ToArray();

            CollectionAssert.AreEqual(whole, Stream(set, Split(input, cuts)), $"round {round}: '{S(input)}'");
        }
    }
}
