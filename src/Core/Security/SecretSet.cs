using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Core.Security;

/// <summary>
/// The secrets a run must never show: the values of environment variables whose names look secret
/// (<see cref="SecretNames.LooksSecret"/>) or are configured as secret, extra literal values, and
/// configured regular expressions. Literals shorter than <see cref="MinimumLength"/> characters are
/// ignored: masking every <c>"on"</c> or <c>"1"</c> would destroy the output while protecting nothing
/// worth a secret. Immutable and safe to share; each stream gets its own <see cref="StreamingRedactor"/>.
/// </summary>
public sealed class SecretSet
{
    /// <summary>Shortest literal value (in characters) that is redacted.</summary>
    public const int MinimumLength = 4;

    /// <summary>How long one pattern may run over one line before the line is masked whole.</summary>
    public static readonly TimeSpan DefaultPatternTimeout = TimeSpan.FromMilliseconds(250);

    private readonly SearchValues<string>? _valueSearch;

    private SecretSet(string[] values, Regex[] patterns)
    {
        Literals = [.. values.Select(v => Encoding.UTF8.GetBytes(v))];
        Patterns = patterns;
        LongestLiteralBytes = Literals.Count == 0 ? 0 : Literals[0].Length;
        _valueSearch = values.Length == 0 ? null : SearchValues.Create(values, StringComparison.Ordinal);
    }

    public static SecretSet Empty { get; } = new([], []);

    /// <summary>The literal secrets as UTF-8, longest first (ties in ordinal order), without duplicates.</summary>
    public IReadOnlyList<byte[]> Literals { get; }

    /// <summary>Patterns whose matches are redacted within one line (see <see cref="StreamingRedactor"/>).</summary>
    public IReadOnlyList<Regex> Patterns { get; }

    /// <summary>The UTF-8 length of the longest literal (0 when there is none).</summary>
    public int LongestLiteralBytes { get; }

    public bool IsEmpty => Literals.Count == 0 && Patterns.Count == 0;

    /// <summary>
    /// Collects the secrets of an environment: values of variables whose names look secret or are
    /// listed in <paramref name="secretNames"/> (both case-insensitive), plus
    /// <paramref name="extraValues"/>, plus <paramref name="patterns"/> compiled with
    /// <paramref name="patternTimeout"/> (default <see cref="DefaultPatternTimeout"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A pattern is not a valid .NET regular expression.</exception>
    public static SecretSet Create(
        IEnumerable<KeyValuePair<string, string?>>? environment,
        IEnumerable<string>? secretNames = null,
        IEnumerable<string>? extraValues = null,
        IEnumerable<string>? patterns = null,
        TimeSpan? patternTimeout = null)
    {
        var names = new HashSet<string>(secretNames ?? [], StringComparer.OrdinalIgnoreCase);
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in environment ?? [])
        {
            if (value is not null && (SecretNames.LooksSecret(name) || names.Contains(name)))
            {
                Add(values, value);
            }
        }

        foreach (string value in extraValues ?? [])
        {
            Add(values, value);
        }

        TimeSpan timeout = patternTimeout ?? DefaultPatternTimeout;
        Regex[] compiled = [.. (patterns ?? []).Distinct(StringComparer.Ordinal).Select(p => Compile(p, timeout))];
        // Longest first, so the longest secret starting at a position is found first.
        string[] ordered = [.. values.OrderByDescending(v => Encoding.UTF8.GetByteCount(v)).ThenBy(v => v, StringComparer.Ordinal)];
        return ordered.Length == 0 && compiled.Length == 0 ? Empty : new SecretSet(ordered, compiled);
    }

    /// <summary>
    /// Redacts a whole string (a command line, a manifest field) by the same rules as a stream, so a
    /// value reads the same in the manifest as in the events. Returns <paramref name="text"/> itself
    /// when nothing in it is secret.
    /// </summary>
    public string RedactText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsEmpty || text.Length == 0)
        {
            return text;
        }

        bool literal = _valueSearch is not null && text.AsSpan().IndexOfAny(_valueSearch) >= 0;
        if (!literal && !AnyPatternMatches(text))
        {
            return text;
        }

        var redactor = new StreamingRedactor(this);
        var output = new ArrayBufferWriter<byte>(text.Length + 16);
        redactor.Redact(Encoding.UTF8.GetBytes(text), output);
        redactor.Flush(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private bool AnyPatternMatches(string text)
    {
        foreach (Regex pattern in Patterns)
        {
            try
            {
                if (pattern.IsMatch(text))
                {
                    return true;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                return true; // undecided: let the redactor mask what it cannot clear
            }
        }

        return false;
    }

    private static void Add(HashSet<string> values, string value)
    {
        if (value.Length >= MinimumLength)
        {
            values.Add(value);
        }
    }

    private static Regex Compile(string pattern, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, timeout);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"The secret pattern '{pattern}' is not a valid regular expression: {e.Message}", nameof(pattern), e);
        }
    }
}
