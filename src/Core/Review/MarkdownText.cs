using System.Text;

namespace Orchestrator.Core.Review;

/// <summary>
/// Escaping for GitHub-flavoured Markdown: text that came from a run (commands, titles, reasons) must
/// not end a table cell, start a new row, or turn into markup.
/// </summary>
public static class MarkdownText
{
    /// <summary>Plain text for a paragraph or table cell: markup characters escaped, <c>|</c> as <c>\|</c>, line breaks as <c>&lt;br&gt;</c>.</summary>
    public static string Text(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(value.Length + 8);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                case '\r' when i + 1 < value.Length && value[i + 1] == '\n':
                    break;
                case '\r':
                case '\n':
                    builder.Append("<br>");
                    break;
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '&':
                    builder.Append("&amp;");
                    break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '#' or '~' or '!':
                    builder.Append('\\').Append(c);
                    break;
                default:
                    builder.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Text as inline code, safe inside a table cell: the fence is longer than any backtick run in
    /// the text, <c>|</c> is escaped (GFM splits cells before it parses code spans), and each line is
    /// its own code span joined by <c>&lt;br&gt;</c> (a code span cannot hold a line break).
    /// </summary>
    public static string Code(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var lines = value.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', '\r');
        return string.Join("<br>", lines.Where(l => l.Length > 0).Select(CodeSpan));
    }

    /// <summary>A link whose target is a relative path; the path's characters that would break the link are percent-encoded.</summary>
    public static string Link(string label, string relativePath) =>
        $"[{Text(label)}]({Uri.EscapeDataString(relativePath).Replace("%2F", "/", StringComparison.Ordinal)})";

    private static string CodeSpan(string line)
    {
        string text = new([.. line.Select(c => char.IsControl(c) ? ' ' : c)]);
        int longest = 0;
        int run = 0;
        foreach (char c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        string fence = new('`', longest + 1);
        // A space pads a span that starts or ends with a backtick (stripped again by the renderer).
        string pad = text.StartsWith('`') || text.EndsWith('`') ? " " : string.Empty;
        return fence + pad + text.Replace("|", "\\|", StringComparison.Ordinal) + pad + fence;
    }
}
