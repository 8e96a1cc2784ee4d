namespace Orchestrator.Core.Exec;

/// <summary>The capped head+tail text of one stream, as written to exec:end and the manifest.</summary>
/// <param name="Text">Head, an omission marker when truncated, then tail.</param>
/// <param name="Truncated">True when bytes were omitted from the middle.</param>
/// <param name="TotalBytes">Every byte the stream produced.</param>
/// <param name="OmittedBytes">Bytes not shown in <paramref name="Text"/>.</param>
/// <param name="InvalidUtf8">True when the shown bytes were not valid UTF-8 (replaced by U+FFFD; the raw log is exact).</param>
public sealed record StreamCapture(string Text, bool Truncated, long TotalBytes, long OmittedBytes, bool InvalidUtf8)
{
    public static StreamCapture Empty { get; } = new(string.Empty, false, 0, 0, false);
}
