namespace Orchestrator.Core.Runs;

/// <summary>
/// Run ids: the UTC start time with ':' and '.' turned into '-', then '-' and 8 hex digits, e.g.
/// <c>2025-11-03T23-58-59-546Z-49371323</c>. Sortable by time, unique, safe as a folder name.
/// </summary>
public static class RunId
{
    public static string New(DateTimeOffset utcNow)
    {
        // Written by hand: a custom DateTime format and the platform crypto library each cost
        // milliseconds on a process's first run. Uniqueness comes from the exclusive mkdir of the run
        // directory (RunRecorder retries on a clash), so the suffix needs to be unpredictable to
        // nobody, only spread.
        Span<byte> time = stackalloc byte[24];
        Json.UtcTimestampConverter.Format(utcNow, time);
        Span<char> text = stackalloc char[33];
        for (int i = 0; i < time.Length; i++)
        {
            // The wire timestamp with ':' and '.' turned into '-', which a folder name can hold.
            text[i] = time[i] is (byte)':' or (byte)'.' ? '-' : (char)time[i];
        }

        text[24] = '-';
        uint suffix = (uint)Random.Shared.NextInt64(0, 1L << 32);
        for (int i = 32; i >= 25; i--, suffix >>= 4)
        {
            text[i] = "0123456789abcdef"[(int)(suffix & 0xF)];
        }

        return new string(text);
    }

    /// <summary>The shape <c>0000-00-00T00-00-00-000Z-xxxxxxxx</c> (digits, then 8 lowercase hex digits).</summary>
    public static bool IsValid(string? value)
    {
        // Checked by hand, not by a regular expression: every run checks an id, and the first
        // regular expression of a process costs milliseconds to set up.
        const string Shape = "dddd-dd-ddTdd-dd-dd-dddZ-hhhhhhhh";
        if (value is null || value.Length != Shape.Length)
        {
            return false;
        }

        for (int i = 0; i < Shape.Length; i++)
        {
            char c = value[i];
            bool fits = Shape[i] switch
            {
                'd' => char.IsAsciiDigit(c),
                'h' => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f',
                char literal => c == literal,
            };
            if (!fits)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Orders two run ids by the start time they begin with, to the millisecond: 0 for runs started
    /// in the same millisecond, whose random suffixes say nothing about which came first. Ids of
    /// another shape (written by hand) compare whole, as text.
    /// </summary>
    public static int CompareStartTimes(string a, string b)
    {
        const int TimeLength = 24;
        return IsValid(a) && IsValid(b)
            ? string.CompareOrdinal(a, 0, b, 0, TimeLength)
            : string.CompareOrdinal(a, b);
    }

    /// <summary>The UTC start time a valid run id begins with; false for any other string or an impossible date.</summary>
    public static bool TryGetStartTime(string? value, out DateTimeOffset startTime)
    {
        startTime = default;
        if (!IsValid(value))
        {
            return false;
        }

        // 2025-11-03T23-58-59-546Z: the wire timestamp with ':' and '.' turned into '-'.
        string text = $"{value![..13]}:{value[14..16]}:{value[17..19]}.{value[20..24]}";
        return DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out startTime);
    }

    public static string Validate(string? value)
    {
        if (!IsValid(value))
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRunId,
                $"Invalid run id '{value}': expected the form 2025-11-03T23-58-59-546Z-49371323.");
        }

        return value!;
    }
}
