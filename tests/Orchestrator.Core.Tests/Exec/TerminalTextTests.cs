using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Tests.Exec;

[TestClass]
public sealed class TerminalTextTests
{
    [TestMethod]
    [DataRow("\u001b[1;32mok\u001b[0m\r\n", "ok\n")]
    [DataRow("a\rb\rc\n", "c\n")]
    [DataRow("\u001b]0;title\u0007x", "x")]
    [DataRow("\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\", "link")]
    [DataRow("abc\b\bd\n", "ad\n")]
    [DataRow("bell\u0007!", "bell!")]
    [DataRow("\u001b(Bplain", "plain")]
    public void EscapesCarriageReturnsAndControlsBecomePlainText(string input, string expected) =>
        Assert.AreEqual(expected, TerminalText.Clean(input));
}
