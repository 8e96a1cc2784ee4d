using Orchestrator.Core.Runs;

namespace Orchestrator.Cli;

/// <summary>The wire names of the Core's enums (<c>on-failure</c>, <c>workspace-write</c>) as flag values.</summary>
internal static class WireEnum
{
    public static string[] Names<T>()
        where T : struct, Enum => [.. Enum.GetValues<T>().Select(v => WireNames.Of(v))];

    public static T Parse<T>(string text)
        where T : struct, Enum
    {
        foreach (T candidate in Enum.GetValues<T>())
        {
            if (string.Equals(WireNames.Of(candidate), text, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        throw new ArgumentException($"'{text}' is not one of {string.Join(", ", Names<T>())}.");
    }
}
