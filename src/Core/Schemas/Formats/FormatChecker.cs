namespace Orchestrator.Core.Schemas.Formats;

/// <summary>Recognises and checks the supported <c>format</c> values.</summary>
internal static class FormatChecker
{
    public static FormatKind Parse(string name, string path) => name switch
    {
        "date-time" => FormatKind.DateTime,
        "uri" => FormatKind.Uri,
        "uuid" => FormatKind.Uuid,
        // Formats are annotations in 2020-12, but an author writing one expects it checked; refusing is safer.
        _ => throw new JsonSchemaException(
            $"Invalid schema at {path}: unsupported format \"{name}\" (supported: date-time, uri, uuid)", path),
    };

    public static string Describe(FormatKind kind) => kind switch
    {
        FormatKind.DateTime => "RFC 3339 date-time",
        FormatKind.Uri => "absolute URI",
        FormatKind.Uuid => "UUID",
        _ => kind.ToString(),
    };

    public static bool IsValid(FormatKind kind, string value) => kind switch
    {
        FormatKind.DateTime => IsDateTime(value),
        FormatKind.Uri => IsUri(value),
        FormatKind.Uuid => IsUuid(value),
        _ => true,
    };

    // RFC 3339 section 5.6: full-date "T" full-time, with a mandatory offset (Z or ±hh:mm).
    private static bool IsDateTime(string s)
    {
        if (s.Length < 20
            || !TryReadDigits(s, 0, 4, out int year) || s[4] != '-'
            || !TryReadDigits(s, 5, 2, out int month) || s[7] != '-'
            || !TryReadDigits(s, 8, 2, out int day) || s[10] is not ('T' or 't')
            || !TryReadDigits(s, 11, 2, out int hour) || s[13] != ':'
            || !TryReadDigits(s, 14, 2, out int minute) || s[16] != ':'
            || !TryReadDigits(s, 17, 2, out int second))
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        int i = 19;
        if (s[i] == '.')
        {
            int fractionStart = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == fractionStart) return false;
        }

        if (i >= s.Length) return false;
        int offsetMinutes;
        if (s[i] is 'Z' or 'z')
        {
            if (i + 1 != s.Length) return false;
            offsetMinutes = 0;
        }
        else if (s[i] is '+' or '-')
        {
            if (i + 6 != s.Length
                || !TryReadDigits(s, i + 1, 2, out int offsetHour) || s[i + 3] != ':'
                || !TryReadDigits(s, i + 4, 2, out int offsetMinute)
                || offsetHour > 23 || offsetMinute > 59)
            {
                return false;
            }

            offsetMinutes = (s[i] == '-' ? -1 : 1) * (offsetHour * 60 + offsetMinute);
        }
        else
        {
            return false;
        }

        // A leap second can only occur at 23:59:60 UTC.
        return second != 60 || ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440 == 23 * 60 + 59;
    }

    private static int DaysInMonth(int year, int month) => month switch
    {
        2 => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    private static bool TryReadDigits(string s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length) return false;
        for (int i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i])) return false;
            value = value * 10 + (s[i] - '0');
        }

        return true;
    }

    // RFC 3986 absolute URI. System.Uri alone is too lenient (it accepts "/path" as a file URI on Unix and
    // escapes spaces silently), so the scheme and character set are checked first.
    private static bool IsUri(string s)
    {
        int colon = s.IndexOf(':');
        if (colon < 1 || !char.IsAsciiLetter(s[0])) return false;
        for (int i = 1; i < colon; i++)
        {
            if (!char.IsAsciiLetterOrDigit(s[i]) && s[i] is not ('+' or '-' or '.')) return false;
        }

        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '%')
            {
                if (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2])) return false;
                i += 2;
            }
            else if (c <= ' ' || c >= '\u007f' || c is '"' or '<' or '>' or '\\' or '^' or '`' or '{' or '|' or '}')
            {
                return false;
            }
        }

        return Uri.TryCreate(s, UriKind.Absolute, out _);
    }

    private static bool IsUuid(string s)
    {
        if (s.Length != 36) return false;
        for (int i = 0; i < s.Length; i++)
        {
            bool ok = i is 8 or 13 or 18 or 23 ? s[i] == '-' : char.IsAsciiHexDigit(s[i]);
            if (!ok) return false;
        }

        return true;
    }
}
