using System.Globalization;

namespace Orchestrator.Core.Notifications;

/// <summary>Short durations as failure reasons name them: <c>5 s</c>, <c>1.5 s</c>, <c>500 ms</c>.</summary>
internal static class DurationText
{
    public static string Format(TimeSpan duration) =>
        duration.TotalMilliseconds < 1000
            ? ((long)duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + " ms"
            : duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
