using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Orchestrator.Core.Runs;

/// <summary>
/// Run ids: the UTC start time with ':' and '.' turned into '-', then '-' and 8 hex digits, e.g.
/// <c>2025-11-03T23-58-59-546Z-49371323</c>. Sortable by time, unique, safe as a folder name.
/// </summary>
public static partial class RunId
{
    public static string New(DateTimeOffset utcNow)
    {
        string time = utcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH-mm-ss-fff'Z'", CultureInfo.InvariantCulture);
        Span<byte> random = stackalloc byte[4];
        RandomNumberGenerator.Fill(random);
        return time + "-" + Convert.ToHexStringLower(random);
    }

    public static bool IsValid(string? value) => value is not null && Shape().IsMatch(value);

    public static string Validate(string? value)
    {
        if (!IsValid(value))
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRunId,
                $"Invalid run id '{value}': expected the form 2025-11-03T23-58-59-546Z-49371323.");
        }

        return value!;
    }

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}-[0-9]{3}Z-[0-9a-f]{8}$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
