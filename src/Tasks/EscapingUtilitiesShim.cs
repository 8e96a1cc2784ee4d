using System.Text;

namespace Orchestrator.Tasks;

/// <summary>
/// Escapes text for an item spec the way MSBuild's escaping does (%XX for its special characters),
/// so a ConsoleOutput line containing ';' or '%' round-trips as one item with the same text.
/// </summary>
internal static class EscapingUtilitiesShim
{
    private const string Special = "%*?@$();'";

    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny(Special) < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (Special.Contains(c))
            {
                builder.Append('%').Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
