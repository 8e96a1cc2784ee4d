using System.Text;

namespace Orchestrator.Core.Exec;

/// <summary>
/// Makes terminal output readable as plain text for the manifest: drops ANSI escape sequences
/// (colours, cursor moves, OSC titles), turns CRLF into LF, and keeps only what a carriage return
/// left visible on a line (a progress bar's last state). The raw logs keep every byte.
/// </summary>
public static class TerminalText
{
    public static string Clean(string text)
    {
        var output = new StringBuilder(text.Length);
        var line = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\u001b')
            {
                i = SkipEscape(text, i);
                continue;
            }

            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                    continue; // CRLF: the LF ends the line
                }

                line.Clear(); // a bare CR rewinds the line: what follows overwrites it
                i++;
                continue;
            }

            if (c == '\n')
            {
                output.Append(line).Append('\n');
                line.Clear();
                i++;
                continue;
            }

            if (c == '\b')
            {
                if (line.Length > 0)
                {
                    line.Length--;
                }

                i++;
                continue;
            }

            if (c < ' ' && c != '\t')
            {
                i++; // bells and other controls have no text
                continue;
            }

            line.Append(c);
            i++;
        }

        return output.Append(line).ToString();
    }

    /// <summary>Returns the index after an escape sequence starting at <paramref name="start"/> (ESC).</summary>
    private static int SkipEscape(string text, int start)
    {
        int i = start + 1;
        if (i >= text.Length)
        {
            return i;
        }

        char kind = text[i];
        if (kind == '[')
        {
            // CSI: parameters and intermediates, then one final byte in @..~
            i++;
            while (i < text.Length && (text[i] < '@' || text[i] > '~'))
            {
                i++;
            }

            return Math.Min(i + 1, text.Length);
        }

        if (kind == ']')
        {
            // OSC: until BEL or ST (ESC \)
            i++;
            while (i < text.Length)
            {
                if (text[i] == '\u0007')
                {
                    return i + 1;
                }

                if (text[i] == '\u001b' && i + 1 < text.Length && text[i + 1] == '\\')
                {
                    return i + 2;
                }

                i++;
            }

            return i;
        }

        // Two-character sequences (ESC 7, ESC =, charset selections ESC ( B ...).
        return kind is '(' or ')' or '*' or '+' ? Math.Min(i + 2, text.Length) : i + 1;
    }
}
