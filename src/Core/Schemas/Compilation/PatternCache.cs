using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Orchestrator.Core.Schemas.Compilation;

/// <summary>Builds the regular expressions of <c>pattern</c> and <c>patternProperties</c>, shared across validators.</summary>
internal static class PatternCache
{
    private const int Limit = 1024;

    // Patterns come from schema authors; a pathological one must not hang a verification run.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    public static Regex Get(string pattern, string path)
    {
        if (Cache.TryGetValue(pattern, out var cached)) return cached;
        Regex regex;
        try
        {
            // ECMAScript mode gives JavaScript's ASCII meaning of \d, \w and \s, which is what schema authors expect.
            regex = new Regex(pattern, RegexOptions.ECMAScript | RegexOptions.CultureInvariant, Timeout);
        }
        catch (ArgumentException)
        {
            // Some constructs (e.g. possessive-looking or .NET-only syntax) are rejected in ECMAScript mode only.
            try
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant, Timeout);
            }
            catch (ArgumentException ex)
            {
                throw KeywordReader.Fail(path, $"invalid regular expression \"{pattern}\": {ex.Message}", ex);
            }
        }

        // Bounded so that a long-running process loading many generated schemas cannot grow without limit.
        if (Cache.Count < Limit) Cache.TryAdd(pattern, regex);
        return regex;
    }
}
