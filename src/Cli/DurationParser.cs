using System.Globalization;

namespace Orchestrator.Cli;

/// <summary>Reads --timeout values: <c>250ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, or plain (fractional) seconds.</summary>
internal static class DurationParser
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string value = text.Trim();
        double scale = 1;
        if (value.EndsWith("ms", StringComparison.Ordinal))
        {
            (value, scale) = (value[..^2], 0.001);
        }
        else if (value.EndsWith('s'))
        {
            value = value[..^1];
        }
        else if (value.EndsWith('m'))
        {
            (value, scale) = (value[..^1], 60);
        }
        else if (value.EndsWith('h'))
        {
            (value, scale) = (value[..^1], 3600);
        }

        if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount) ||
            !double.IsFinite(amount) || amount <= 0 || amount * scale > TimeSpan.FromDays(24).TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(amount * scale);
        return duration > TimeSpan.Zero;
    }
}
