using System.Globalization;
using System.Text;

namespace Orchestrator.Core.Exec;

/// <summary>
/// How a command (or any text taken from one) is shown to a person: in titles, approval records and
/// messages, build logs and the status output. Text a terminal would not show as it is (a newline,
/// a carriage return, an escape sequence, a bidirectional override) must not hide what runs:
/// <c>dotnet restore --help&lt;newline&gt;touch x</c> is two commands and must not read as one. Such
/// text is shown in the shell's ANSI-C quoting, <c>$'dotnet restore --help\ntouch x'</c>, which
/// bash, zsh and <c>printf %q</c> also use, so it can be pasted back. Text without such characters
/// is shown unchanged.
/// </summary>
public static class CommandDisplay
{
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Text that starts like the quoted form is quoted too, so "$'a\nb'" always means a newline.
        if (!text.StartsWith("$'", StringComparison.Ordinal) && !HasHidden(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8).Append("$'");
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '\'': builder.Append(@"\'"); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                case '\t': builder.Append(@"\t"); break;
                default:
                    if (c < 0x20 || c == 0x7f)
                    {
                        builder.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else if (IsHidden(text, i))
                    {
                        builder.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('\'').ToString();
    }

    private static bool HasHidden(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c < 0x20 || c == 0x7f || IsHidden(text, i))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Beyond ASCII: C1 controls, format characters (bidirectional overrides, zero-width ones), line
    /// and paragraph separators, and a surrogate that is not half of a pair: each can make text read
    /// as something it is not.
    /// </summary>
    private static bool IsHidden(string text, int i)
    {
        char c = text[i];
        if (c < 0x80)
        {
            return false;
        }

        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]);
        }

        if (char.IsLowSurrogate(c))
        {
            return i == 0 || !char.IsHighSurrogate(text[i - 1]);
        }

        return CharUnicodeInfo.GetUnicodeCategory(c) is
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }
}
