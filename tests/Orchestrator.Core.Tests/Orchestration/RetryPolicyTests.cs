using Orchestrator.Core.Orchestration;

namespace Orchestrator.Core.Tests.Orchestration;

[TestClass]
public sealed class RetryPolicyTests
{
    [TestMethod]
    public void BackoffDoublesFrom250MillisecondsAndIsCapped()
    {
        var policy = RetryPolicy.Default with { MaxDelay = TimeSpan.FromSeconds(1.5) };

        CollectionAssert.AreEqual(
            new[] { 250.0, 500.0, 1000.0, 1500.0, 1500.0 },
            Enumerable.Range(1, 5).Select(n => policy.DelayBefore(n).TotalMilliseconds).ToArray());
        Assert.AreEqual(3, RetryPolicy.Default.MaxAttempts);
    }

    [TestMethod]
    public void AttemptLimitsAreValidated()
    {
        Assert.ThrowsExactly<OrchestratorException>(() => (RetryPolicy.Default with { MaxAttempts = 0 }).Validate());
        Assert.ThrowsExactly<OrchestratorException>(() => (RetryPolicy.Default with { MaxAttempts = 21 }).Validate());
        (RetryPolicy.Default with { MaxAttempts = 1 }).Validate();
    }
}
