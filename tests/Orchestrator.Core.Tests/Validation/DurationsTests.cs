using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Tests.Validation;

/// <summary>The one duration reading the CLI, YAML and MSBuild share; only a plain number differs by door.</summary>
[TestClass]
public sealed class DurationsTests
{
    [TestMethod]
    [DataRow("250ms", 250d)]
    [DataRow("30s", 30_000d)]
    [DataRow("5m", 300_000d)]
    [DataRow("1h", 3_600_000d)]
    [DataRow("1.5s", 1_500d)]
    [DataRow(" 2m ", 120_000d)]
    public void UnitsMeanTheSameInEveryDoor(string text, double milliseconds)
    {
        foreach (var plain in new[] { PlainNumberUnit.Seconds, PlainNumberUnit.Milliseconds })
        {
            Assert.IsTrue(Durations.TryParse(text, plain, out TimeSpan value, out string? problem), problem);
            Assert.AreEqual(TimeSpan.FromMilliseconds(milliseconds), value);
        }
    }

    [TestMethod]
    public void APlainNumberIsSecondsInTheCliAndYamlAndMillisecondsInMSBuildAsWithExec()
    {
        Assert.IsTrue(Durations.TryParse("90", PlainNumberUnit.Seconds, out TimeSpan seconds, out _));
        Assert.IsTrue(Durations.TryParse("90", PlainNumberUnit.Milliseconds, out TimeSpan milliseconds, out _));

        Assert.AreEqual(TimeSpan.FromSeconds(90), seconds);
        Assert.AreEqual(TimeSpan.FromMilliseconds(90), milliseconds);
    }

    [TestMethod]
    [DataRow("", "cannot be empty")]
    [DataRow("abc", "not a duration")]
    [DataRow("5 minutes", "not a duration")]
    [DataRow("-5s", "not a duration")]
    [DataRow("0", "not positive")]
    [DataRow("0.000001ms", "not positive")]
    [DataRow("25d", "not a duration")]
    [DataRow("600h", "longer than 24 days")]
    [DataRow("NaNs", "not a duration")]
    public void BadValuesSayWhatIsWrong(string text, string expected)
    {
        Assert.IsFalse(Durations.TryParse(text, PlainNumberUnit.Seconds, out TimeSpan value, out string? problem));
        Assert.AreEqual(TimeSpan.Zero, value);
        StringAssert.Contains(problem, expected);
    }
}
