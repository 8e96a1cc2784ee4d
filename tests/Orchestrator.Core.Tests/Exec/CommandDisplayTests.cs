using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Tests.Exec;

[TestClass]
public sealed class CommandDisplayTests
{
    [TestMethod]
    [DataRow("dotnet restore --help\ntouch /var/tmp/x", @"$'dotnet restore --help\ntouch /var/tmp/x'")]
    [DataRow("a\r\nb", @"$'a\r\nb'")]
    [DataRow("a\tb", @"$'a\tb'")]
    [DataRow("echo \u001b[31mred", @"$'echo \x1b[31mred'")]
    [DataRow("echo \u007f", @"$'echo \x7f'")]
    [DataRow("ls \u202etxt.exe", @"$'ls \u202etxt.exe'")]
    [DataRow("a\u2028b", @"$'a\u2028b'")]
    [DataRow("a\u0085b", @"$'a\u0085b'")]
    public void ControlAndInvisibleCharactersAreShownEscapedNotFolded(string text, string expected) =>
        Assert.AreEqual(expected, CommandDisplay.Escape(text));

    [TestMethod]
    public void QuotesAndBackslashesInAnEscapedCommandAreEscapedSoItReadsBackExactly() =>
        Assert.AreEqual(@"$'printf \'a\\n\'\nrm x'", CommandDisplay.Escape("printf 'a\\n'\nrm x"));

    [TestMethod]
    [DataRow("dotnet restore --locked-mode")]
    [DataRow("printf 'a\\n' | grep -c a")]
    [DataRow("echo héllo 😀")]
    public void AVisibleCommandIsShownAsItIs(string text) => Assert.AreEqual(text, CommandDisplay.Escape(text));

    [TestMethod]
    public void TextThatLooksEscapedIsEscapedSoTheFormIsNeverAmbiguous() =>
        Assert.AreEqual(@"$'$\'a\\nb\''", CommandDisplay.Escape(@"$'a\nb'"));
}
