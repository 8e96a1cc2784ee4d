using Orchestrator.Core.Events.Handles;

namespace Orchestrator.Core.Tests.Events.Handles;

/// <summary>Redacts frames containing "secret", blocks frames containing "block", throws on "boom"; counts its calls.</summary>
internal sealed class MarkerGuard : IFrameGuard
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public FrameVerdict Inspect(string stream, ReadOnlySpan<byte> data)
    {
        Interlocked.Increment(ref _calls);
        if (data.IndexOf("boom"u8) >= 0)
        {
            throw new InvalidOperationException("guard failure");
        }

        if (data.IndexOf("block"u8) >= 0)
        {
            return FrameVerdict.Block;
        }

        return data.IndexOf("secret"u8) >= 0 ? FrameVerdict.Redact("[redacted]"u8.ToArray()) : FrameVerdict.Allow;
    }
}
