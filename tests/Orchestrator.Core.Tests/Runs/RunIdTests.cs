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
    public void RunIdShapeIsChecked(string value, bool valid) => Assert.AreEqual(valid, RunId.IsValid(value));
}
