using System.Globalization;

namespace Orchestrator.Core.Validation;

/// <summary>
/// The one reading of a duration for every door: <c>250ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>,
/// decimals allowed (<c>1.5s</c>), or a plain number in the door's <see cref="PlainNumberUnit"/>.
/// Positive, and at most <see cref="Longest"/> (what a .NET timer can wait).
/// </summary>
public static class Durations
{
    /// <summary>The longest duration accepted.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(24);

    /// <returns>True with the duration, or false with <paramref name="problem"/> saying what is wrong (without the value: the door names it).</returns>
    public static bool TryParse(string? text, PlainNumberUnit plainUnit, out TimeSpan value, out string? problem)
    {
        value = default;
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "a duration cannot be empty (use e.g. 250ms, 30s, 5m or 1h)";
            return false;
        }

        string number = text.Trim();
        double scale = plainUnit == PlainNumberUnit.Seconds ? 1 : 0.001;
        if (number.EndsWith("ms", StringComparison.Ordinal))
        {
            (number, scale) = (number[..^2], 0.001);
        }
        else if (number.EndsWith('s'))
        {
            (number, scale) = (number[..^1], 1);
        }
        else if (number.EndsWith('m'))
        {
            (number, scale) = (number[..^1], 60);
        }
        else if (number.EndsWith('h'))
        {
            (number, scale) = (number[..^1], 3600);
        }

        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount) || !double.IsFinite(amount))
        {
            problem = $"not a duration (a positive number with ms, s, m or h; a plain number is {(plainUnit == PlainNumberUnit.Seconds ? "seconds" : "milliseconds")})";
            return false;
        }

        double seconds = amount * scale;
        if (seconds > Longest.TotalSeconds)
        {
            problem = $"longer than {Longest.TotalDays:0} days";
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        if (value <= TimeSpan.Zero)
        {
            problem = "not positive";
            value = default;
            return false;
        }

        return true;
    }
}
