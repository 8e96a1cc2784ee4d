using Orchestrator.Core.Telemetry;

namespace Orchestrator.Core.Tests.Telemetry;

[TestClass]
public sealed class ExportHealthTests
{
    private const string OutOfTime = "the final export did not finish within 2000 ms; what was not sent is lost";

    [TestMethod]
    public void AFlushRunningOutOfTimeAfterFailedAttemptsKeepsTheirReason()
    {
        var health = new ExportHealth(3);
        health.RecordFailure("Connection refused (127.0.0.1:4318)");

        health.RecordFlushOutOfTime(OutOfTime);

        var (_, _, failures, disabled) = health.Snapshot();
        Assert.AreEqual(2, failures.Count);
        Assert.AreEqual($"{OutOfTime} (the attempt before failed: Connection refused (127.0.0.1:4318))", failures.LastReason);
        Assert.IsFalse(disabled, "two failures in a row, the limit is three");
    }

    [TestMethod]
    public void AFlushRunningOutOfTimeAfterASuccessNamesOnlyItself()
    {
        var health = new ExportHealth(3);
        health.RecordFailure("HTTP 503 (Service Unavailable)");
        health.RecordSuccess(OtlpSignal.Traces, 3);

        health.RecordFlushOutOfTime(OutOfTime);

        var (spans, _, failures, _) = health.Snapshot();
        Assert.AreEqual(3, spans);
        Assert.AreEqual(2, failures.Count);
        Assert.AreEqual(OutOfTime, failures.LastReason);
    }

    [TestMethod]
    public void AFlushRunningOutOfTimeCountsTowardsTheFailuresInARow()
    {
        var health = new ExportHealth(3);
        health.RecordFailure("Connection refused (127.0.0.1:4318)");
        health.RecordFailure("Connection refused (127.0.0.1:4318)");

        health.RecordFlushOutOfTime(OutOfTime);

        Assert.IsTrue(health.Disabled);
    }
}
