using Microsoft.Build.Utilities;
using Orchestrator.Core.Runs;

namespace Orchestrator.Tasks;

/// <summary>Parses the wire names of the Core's enums (<c>on-failure</c>, <c>workspace-write</c>) from task parameters.</summary>
internal static class WireEnum
{
    public static bool TryParse<T>(string text, out T value)
        where T : struct, Enum
    {
        foreach (T candidate in Enum.GetValues<T>())
        {
            if (string.Equals(WireNames.Of(candidate), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// An optional enum parameter: blank is null, a wire name its value, anything else an
    /// <c>InvalidParameter</c> error naming the valid values (false is returned).
    /// </summary>
    public static bool TryParseParameter<T>(TaskLoggingHelper log, string parameter, string? text, out T? value)
        where T : struct, Enum
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!TryParse(text, out T parsed))
        {
            log.LogErrorWithCodeFromResources("InvalidParameter", parameter, text, "use " + Names<T>());
            return false;
        }

        value = parsed;
        return true;
    }

    public static string Names<T>()
        where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(v => WireNames.Of(v)));
}
