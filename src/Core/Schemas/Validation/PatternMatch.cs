using System.Text.RegularExpressions;

namespace Orchestrator.Core.Schemas.Validation;

/// <summary>Runs schema patterns, which carry a timeout because they come from schema authors.</summary>
internal static class PatternMatch
{
    /// <summary>Whether <paramref name="value"/> matches; null when the match timed out.</summary>
    public static bool? TryMatch(Regex regex, string value)
    {
        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }
}
