using Cake.Core;
using Orchestrator.Core.Runs;

namespace Cake.Orchestrator;

/// <summary>Parses the wire names of the Core's enums (<c>on-failure</c>, <c>workspace-write</c>) from settings; a bad value is a CakeException naming the choices.</summary>
internal static class CakeSettingParser
{
    public static T? Parse<T>(string setting, string? text)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        foreach (T candidate in Enum.GetValues<T>())
        {
            if (string.Equals(WireNames.Of(candidate), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        throw new CakeException($"ORCH0006: Invalid value \"{text}\" for {setting}: use {string.Join(", ", Enum.GetValues<T>().Select(v => WireNames.Of(v)))}.");
    }
}
