using System.Collections.Immutable;
using System.Text;

namespace Orchestrator.Core.Notifications;

/// <summary>
/// Splits a <c>command:</c> line into argv without a shell: whitespace separates arguments,
/// <c>'...'</c> and <c>"..."</c> keep everything inside literally (no escapes, no expansion), and
/// quoted and unquoted pieces next to each other form one argument, as in a shell.
/// </summary>
internal static class CommandLineSplitter
{
    /// <summary>The arguments, or an error when a quote is left open.</summary>
    public static ImmutableArray<string> Split(string line, out string? error)
    {
        var arguments = ImmutableArray.CreateBuilder<string>();
        var current = new StringBuilder();
        bool inArgument = false;
        char quote = '\0';
        int quoteStart = -1;
        error = null;

        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                quoteStart = i;
                inArgument = true; // "" is an empty argument, not nothing
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inArgument)
                {
                    arguments.Add(current.ToString());
                    current.Clear();
                    inArgument = false;
                }
            }
            else
            {
                current.Append(c);
                inArgument = true;
            }
        }

        if (quote != '\0')
        {
            error = $"the quote ({quote}) at position {quoteStart + 1} is never closed";
            return [];
        }

        if (inArgument)
        {
            arguments.Add(current.ToString());
        }

        return arguments.ToImmutable();
    }
}
