using System.Diagnostics;
using Orchestrator.Core.Runs;
using Orchestrator.Core.Telemetry;
using Orchestrator.Core.Tests.Support;

namespace Orchestrator.Core.Tests.Telemetry;

/// <summary>
/// Without an endpoint nothing telemetry-related exists. Not parallel: another class's live run
/// telemetry would be a listener on the same ActivitySource.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class TelemetryOffTests
{
    [TestMethod]
    public async Task WithoutAnEndpointNothingIsCreatedAndNoSpanIsStarted()
    {
        using var dir = new TempDirectory();
        var settings = TelemetrySettings.Resolve(null, "sdk", _ => null, null);
        int started = 0;
        // A listener of our own would make the source create spans, if anything asked it to.
        using var probe = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TelemetryNames.Scope,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = _ => Interlocked.Increment(ref started),
        };

        Assert.IsFalse(settings.Enabled);
        Assert.IsFalse(RunTelemetry.Source.HasListeners(), "no run telemetry is live: nothing listens to the Orchestrator source");
        ActivitySource.AddActivityListener(probe);
        var run = await new OrchestratorClient().RunAsync([TelemetryRun.Shell("true")], TelemetryRun.Options(dir));

        Assert.IsTrue(run.Succeeded);
        Assert.AreEqual(0, started, "a run without telemetry starts no span");
        Assert.ThrowsExactly<ArgumentException>(() => RunTelemetry.Start(settings, _ => null));
    }

    [TestMethod]
    public async Task ACompletedRunTelemetryLeavesNoListenerBehind()
    {
        using var dir = new TempDirectory();
        await using var receiver = OtlpReceiver.Answering(200);
        var telemetry = RunTelemetry.Start(TelemetryRun.Settings(receiver.Endpoint), _ => null);
        Assert.IsTrue(RunTelemetry.Source.HasListeners());

        await TelemetryRun.RunAsync(telemetry, dir, null, TelemetryRun.Shell("true"));

        Assert.IsFalse(RunTelemetry.Source.HasListeners());
    }
}
