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

    public static string Names<T>()
        where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(v => WireNames.Of(v)));
}
