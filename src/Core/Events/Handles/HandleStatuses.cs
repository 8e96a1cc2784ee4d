namespace Orchestrator.Core.Events.Handles;

/// <summary>
/// The status a handle reports before it completes and after it is disposed; a completed handle
/// reports the final status its producer gave (e.g. the exec's <c>succeeded</c> or <c>failed</c>).
/// </summary>
public static class HandleStatuses
{
    public const string Open = "open";

    public const string Disposed = "disposed";
}
