using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Tests.Runs;

[TestClass]
public sealed class RunIdTests
{
    [TestMethod]
    public void RunIdHasTheTimestampShapeAndIsUnique()
    {
        var time = new DateTimeOffset(2025, 11, 3, 23, 58, 59, 546, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 1000).Select(_ => RunId.New(time)).ToHashSet();

        Assert.AreEqual(1000, ids.Count);
        foreach (string id in ids)
        {
            Assert.IsTrue(id.StartsWith("2025-11-03T23-58-59-546Z-", StringComparison.Ordinal), id);
            Assert.IsTrue(RunId.IsValid(id), id);
        }
    }

    [TestMethod]
    [DataRow(2025, 1, 2, 3, 4, 5, 6)]
    [DataRow(2026, 12, 31, 23, 59, 59, 999)]
    [DataRow(1999, 10, 10, 10, 10, 10, 100)]
    public void TheTimePartIsTheUtcStartTimeToTheMillisecond(int year, int month, int day, int hour, int minute, int second, int millisecond)
    {
        var time = new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.FromHours(2));

        string id = RunId.New(time);

        string expected = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH-mm-ss-fff'Z'-", System.Globalization.CultureInfo.InvariantCulture);
        Assert.AreEqual(expected, id[..expected.Length]);
        Assert.IsTrue(RunId.IsValid(id), id);
    }

    [TestMethod]
    public void RunIdsSortByTime()
    {
        string earlier = RunId.New(new DateTimeOffset(2025, 1, 2, 3, 4, 5, 6, TimeSpan.Zero));
        string later = RunId.New(new DateTimeOffset(2025, 1, 2, 3, 4, 5, 7, TimeSpan.Zero));
        Assert.IsTrue(string.CompareOrdinal(earlier, later) < 0);
    }

    [TestMethod]
    [DataRow("2025-11-03T23-58-59-546Z-49371323", true)]
    [DataRow("2025-11-03T23-58-59-546Z-4937132", false)]
    [DataRow("../2025-11-03T23-58-59-546Z-49371323", false)]
    [DataRow("2025-11-03T23:58:59.546Z-49371323", false)]
    [DataRow("2025-11-03T23-58-59-546Z-4937132A", false)]
    [DataRow("2025-11-03T23-58-59-546Z-4937132g", false)]
    [DataRow("2025-11-03T23-58-59-546Z-493713230", false)]
    [DataRow("2025-11-03X23-58-59-546Z-49371323", false)]
    [DataRow("2025-11-03T23-58-59-546Z-abcdef09", true)]
    [DataRow("", false)]
    [DataRow(null, false)]
    public void RunIdShapeIsChecked(string? value, bool valid) => Assert.AreEqual(valid, RunId.IsValid(value));

    [TestMethod]
    [DataRow("2025-11-03T23-58-59-546Z-ffffffff", "2025-11-03T23-58-59-546Z-00000000", 0)]
    [DataRow("2025-11-03T23-58-59-546Z-ffffffff", "2025-11-03T23-58-59-547Z-00000000", -1)]
    [DataRow("2025-11-03T23-59-00-000Z-00000000", "2025-11-03T23-58-59-999Z-ffffffff", 1)]
    [DataRow("manual-b", "manual-a", 1)]
    public void StartTimesCompareToTheMillisecondIgnoringTheSuffix(string a, string b, int sign) =>
        Assert.AreEqual(sign, Math.Sign(RunId.CompareStartTimes(a, b)));
}
