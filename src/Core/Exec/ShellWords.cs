using System.Collections.Immutable;
using System.Text;

namespace Orchestrator.Core.Exec;

/// <summary>
/// Reads a shell line as one plain command, or refuses to. A line is plain when <c>/bin/sh -c</c>
/// would do nothing to it but split it into words and remove quotes: then the words returned are
/// exactly the argv the shell runs, and a rule or the safe list can judge them. Anything else the
/// shell would interpret (another command, a redirection, a substitution or expansion, a glob, a
/// comment, an assignment) makes the line not plain: approvals then treat it as unmatched, the safe
/// direction. The exact set is in docs/approvals-and-sandbox.md ("Plain commands").
/// </summary>
public static class ShellWords
{
    /// <summary>
    /// Refused anywhere, quoted or not: separators, operators, substitutions, expansions and the
    /// escape character. Quoting would make some of them literal, but a rule is for a plain command,
    /// and a line that needs them is not one.
    /// </summary>
    private const string AlwaysRefused = ";&|<>()$`\\";

    /// <summary>Refused outside quotes: globs, comments, brace expansion (bash as sh) and reserved braces.</summary>
    private const string RefusedUnquoted = "*?#{}";

    /// <summary>The argv of a plain shell line, or null when the shell would do more than split and unquote it.</summary>
    public static ImmutableArray<string>? PlainCommand(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = ImmutableArray.CreateBuilder<string>();
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (IsLineBreakOrControl(c) && !(c == '\t'))
            {
                return null;
            }

            if (AlwaysRefused.Contains(c, StringComparison.Ordinal))
            {
                return null;
            }

            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }

                continue;
            }

            if (c is ' ' or '\t')
            {
                if (inWord && !EndWord(words, word))
                {
                    return null;
                }

                inWord = false;
                continue;
            }

            if (RefusedUnquoted.Contains(c, StringComparison.Ordinal))
            {
                return null;
            }

            // A tilde expands at the start of a word and after '=' or ':' (in assignments, and in
            // bash's arguments); elsewhere (HEAD~1) it is literal.
            if (c == '~' && (!inWord || line[i - 1] is '=' or ':'))
            {
                return null;
            }

            // '[' opens a glob bracket unless it is the whole word (the test command '[').
            if (c == '[' && (inWord || (i + 1 < line.Length && line[i + 1] is not (' ' or '\t'))))
            {
                return null;
            }

            inWord = true;
            if (c is '\'' or '"')
            {
                quote = c;
                continue;
            }

            word.Append(c);
        }

        if (quote != '\0' || (inWord && !EndWord(words, word)) || words.Count == 0)
        {
            return null;
        }

        return words.ToImmutable();
    }

    /// <summary>C0 and C1 controls and the Unicode line and paragraph separators.</summary>
    internal static bool IsLineBreakOrControl(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    private static bool EndWord(ImmutableArray<string>.Builder words, StringBuilder word)
    {
        // NAME=value before the program is an assignment: the shell would run the next word with it
        // in the environment (PATH=./evil/dotnet restore runs ./evil/dotnet/restore).
        if (words.Count == 0 && word.ToString().Contains('=', StringComparison.Ordinal))
        {
            return false;
        }

        words.Add(word.ToString());
        word.Clear();
        return true;
    }
}
