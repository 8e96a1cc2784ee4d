using System.Text;
using Orchestrator.Core.Events.Handles;
using Orchestrator.Core.Security;

namespace Orchestrator.Core.Tests.Security;

[TestClass]
public sealed class SecretFrameGuardTests
{
    private static readonly SecretSet Secrets = new SecretSettings([], [@"ghp_[A-Za-z0-9]{8}"], ["registered-value-1"]).For([]);

    [TestMethod]
    public void FramesWithASecretAreStoredMaskedAndMarkedRedact()
    {
        var handle = new HandleService(new HandleOptions { Guard = new SecretFrameGuard(Secrets) }).Open("guarded", HandleKinds.Exec);

        handle.Append("stdout", "plain line\n"u8);
        handle.Append("stdout", "key registered-value-1 and ghp_abcdEFGH\n"u8);

        var frames = handle.Snapshot().Frames;
        Assert.AreEqual(GuardDecision.Allow, frames[0].Decision);
        Assert.AreEqual("plain line\n", Encoding.UTF8.GetString(frames[0].Data.Span));
        Assert.AreEqual(GuardDecision.Redact, frames[1].Decision);
        Assert.AreEqual("key *** and ***\n", Encoding.UTF8.GetString(frames[1].Data.Span));
    }

    [TestMethod]
    public async Task ReplayShowsTheMaskedBytesNotTheOriginal()
    {
        var handle = new HandleService(new HandleOptions { Guard = new SecretFrameGuard(Secrets) }).Open("replayed", HandleKinds.Exec);
        handle.Append("stderr", "registered-value-1"u8);
        handle.Complete("succeeded");

        await using var subscription = handle.Subscribe(1);
        var seen = new List<HandleFrame>();
        await foreach (var frame in subscription.ReadAllAsync(CancellationToken.None))
        {
            seen.Add(frame);
        }

        Assert.AreEqual(1, seen.Count);
        Assert.AreEqual("***", Encoding.UTF8.GetString(seen[0].Data.Span));
        Assert.AreEqual(GuardDecision.Redact, seen[0].Decision);
    }
}
