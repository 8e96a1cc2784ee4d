using Orchestrator.Core.Security;

namespace Orchestrator.Core.Telemetry;

/// <summary>
/// The headers sent with every export (<c>OTEL_EXPORTER_OTLP_HEADERS</c>: <c>name=value,name=value</c>,
/// values percent-encoded). They usually carry an API key, so nothing here ever shows a value:
/// <see cref="ToString"/> and every parse error name the header, never what it holds.
/// </summary>
public sealed class OtlpHeaders
{
    private readonly KeyValuePair<string, string>[] _pairs;

    private OtlpHeaders(KeyValuePair<string, string>[] pairs) => _pairs = pairs;

    public static OtlpHeaders Empty { get; } = new([]);

    public int Count => _pairs.Length;

    /// <summary>The header names, in order (safe to show).</summary>
    public IReadOnlyList<string> Names => [.. _pairs.Select(p => p.Key)];

    /// <summary>The names and the values: only for the request being sent.</summary>
    internal IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    /// <summary>
    /// Parses the OTLP exporter header list. Blank items are skipped; every other item needs a
    /// header name (an HTTP token), <c>=</c>, and a value that decodes without a line break.
    /// </summary>
    /// <param name="error">Why the list was refused, naming the item but never its value.</param>
    public static bool TryParse(string? text, out OtlpHeaders headers, out string? error)
    {
        headers = Empty;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var pairs = new List<KeyValuePair<string, string>>();
        string[] items = text.Split(',');
        for (int i = 0; i < items.Length; i++)
        {
            string item = items[i];
            if (item.Trim().Length == 0)
            {
                continue;
            }

            int equals = item.IndexOf('=');
            string name = (equals < 0 ? item : item[..equals]).Trim();
            if (equals < 0 || name.Length == 0 || !IsToken(name))
            {
                // The item may be a value that lost its name; show only its position.
                error = equals < 0 || name.Length == 0
                    ? $"item {i + 1} is not name=value"
                    : $"item {i + 1} does not start with a valid header name";
                return false;
            }

            string value = Uri.UnescapeDataString(item[(equals + 1)..].Trim());
            if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                error = $"the value of header '{name}' contains a line break";
                return false;
            }

            pairs.Add(new(name, value));
        }

        headers = pairs.Count == 0 ? Empty : new OtlpHeaders([.. pairs]);
        return true;
    }

    /// <summary>The names with masked values, e.g. <c>authorization=***</c>.</summary>
    public override string ToString() => string.Join(',', _pairs.Select(p => p.Key + "=" + SecretNames.Mask));

    private static bool IsToken(string name)
    {
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)))
            {
                return false;
            }
        }

        return true;
    }
}
