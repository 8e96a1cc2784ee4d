namespace Orchestrator.Core.Validation;

/// <summary>
/// The one rule every id the user names follows (task, session and command ids): ASCII letters,
/// digits, '.', '_' and '-', never "." or "..", so an id can name a file or folder and never a path.
/// </summary>
internal static class IdentifierRules
{
    public const string Alphabet = "[A-Za-z0-9._-]";

    /// <summary>Null when <paramref name="value"/> is an id of at most <paramref name="maxLength"/> characters; else why not.</summary>
    /// <param name="value">The id.</param>
    /// <param name="maxLength">The longest id allowed.</param>
    /// <param name="kind">What the id is called in the problem ("task ids").</param>
    public static string? Problem(string? value, int maxLength, string kind = "ids")
    {
        if (string.IsNullOrEmpty(value))
        {
            return "it is empty";
        }

        if (value.Length > maxLength)
        {
            return $"it is {value.Length} characters long (at most {maxLength})";
        }

        if (value is "." or "..")
        {
            return $"'.' and '..' are not {kind}";
        }

        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return $"'{(char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString())}' is not allowed (use A-Z, a-z, 0-9, '.', '_', '-')";
            }
        }

        return null;
    }
}
