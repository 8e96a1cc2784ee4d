using System.Text;

namespace Orchestrator.Core.Review;

/// <summary>
/// GitHub Actions workflow commands (<c>::error title=...::message</c>), escaped per the runner's
/// rules: in the message <c>%</c>, CR and LF; in property values also <c>:</c> and <c>,</c>.
/// Anything else a command or title holds passes through unchanged.
/// </summary>
public static class WorkflowCommand
{
    public static string Error(string title, string message) =>
        $"::error title={EscapeProperty(title)}::{EscapeData(message)}";

    public static string EscapeData(string value) => Escape(value, property: false);

    public static string EscapeProperty(string value) => Escape(value, property: true);

    private static string Escape(string value, bool property)
    {
        var builder = new StringBuilder(value.Length + 8);
        foreach (char c in value)
        {
            switch (c)
            {
                case '%':
                    builder.Append("%25");
                    break;
                case '\r':
                    builder.Append("%0D");
                    break;
                case '\n':
                    builder.Append("%0A");
                    break;
                case ':' when property:
                    builder.Append("%3A");
                    break;
                case ',' when property:
                    builder.Append("%2C");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }
}
