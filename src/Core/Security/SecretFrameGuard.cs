using System.Buffers;
using Orchestrator.Core.Events.Handles;

namespace Orchestrator.Core.Security;

/// <summary>
/// The built-in frame guard: masks the secrets of a <see cref="SecretSet"/> inside each frame
/// (decision <see cref="GuardDecision.Redact"/> when it masked something), for handles whose
/// producer does not redact on its own. The exec path redacts its streams before they become
/// frames, because a secret can straddle two reads and a per-frame guard only sees one; it marks
/// such frames <see cref="GuardDecision.Redact"/> itself.
/// </summary>
public sealed class SecretFrameGuard(SecretSet secrets) : IFrameGuard
{
    private readonly SecretSet _secrets = secrets ?? throw new ArgumentNullException(nameof(secrets));

    public FrameVerdict Inspect(string stream, ReadOnlySpan<byte> data)
    {
        if (_secrets.IsEmpty || data.IsEmpty)
        {
            return FrameVerdict.Allow;
        }

        // A redactor per frame: a guard may serve several handles, and frames are independent here.
        var redactor = new StreamingRedactor(_secrets);
        var output = new ArrayBufferWriter<byte>(data.Length);
        redactor.Redact(data, output);
        redactor.Flush(output);
        return redactor.MasksWritten == 0 ? FrameVerdict.Allow : FrameVerdict.Redact(output.WrittenMemory);
    }
}
