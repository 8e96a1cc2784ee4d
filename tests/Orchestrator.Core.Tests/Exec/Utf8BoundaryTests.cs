using System.Text;
using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Tests.Exec;

[TestClass]
public sealed class Utf8BoundaryTests
{
    [TestMethod]
    [DataRow("abc", 3, 3)]
    [DataRow("ab€", 5, 5)]
    [DataRow("ab€", 4, 2)]
    [DataRow("ab€", 3, 2)]
    [DataRow("ab€", 2, 2)]
    [DataRow("a😀", 4, 1)]
    [DataRow("a😀", 5, 5)]
    public void LastCompleteLengthHoldsBackOnlyAnIncompleteSequence(string text, int take, int expected)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text)[..take];
        Assert.AreEqual(expected, Utf8Boundary.LastCompleteLength(bytes));
    }

    [TestMethod]
    public void InvalidTrailingBytesAreNotHeldBack()
    {
        Assert.AreEqual(2, Utf8Boundary.LastCompleteLength([0x61, 0xFF]));
        Assert.AreEqual(2, Utf8Boundary.LastCompleteLength([0x61, 0x80]));
    }

    [TestMethod]
    public void LeadingContinuationBytesAreCounted()
    {
        byte[] euro = Encoding.UTF8.GetBytes("€");
        Assert.AreEqual(2, Utf8Boundary.LeadingContinuationBytes([euro[1], euro[2], 0x61]));
        Assert.AreEqual(0, Utf8Boundary.LeadingContinuationBytes("abc"u8));
    }
}
