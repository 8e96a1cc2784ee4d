using System.Globalization;
using System.Numerics;
using System.Text;

namespace Orchestrator.Core.Schemas.Values;

/// <summary>
/// A JSON number held exactly as sign, significant digits and decimal exponent. Doubles and decimals both
/// round (decimal turns 1e-50 into 0), which would make limits such as exclusiveMinimum 0 give wrong answers.
/// </summary>
internal sealed class ExactNumber
{
    // Exponents beyond this are clamped; no comparison between realistic numbers depends on larger ones.
    private const long ExponentLimit = 1_000_000_000_000_000;

    private ExactNumber(bool negative, string digits, long exponent, string text, long? int64)
    {
        Negative = negative;
        Digits = digits;
        Exponent = exponent;
        Text = text;
        Int64 = int64;
    }

    public bool Negative { get; }

    /// <summary>Significant digits without leading or trailing zeros; empty for zero. Value = 0.Digits × 10^Exponent.</summary>
    public string Digits { get; }

    public long Exponent { get; }

    public string Text { get; }

    /// <summary>The value when it is written as a plain integer that fits a long, for fast comparisons.</summary>
    public long? Int64 { get; }

    public int Sign => Digits.Length == 0 ? 0 : Negative ? -1 : 1;

    public bool IsInteger => Digits.Length <= Exponent;

    /// <summary>Parses the raw text of a JSON number, which the JSON reader has already checked for syntax.</summary>
    public static ExactNumber Parse(ReadOnlySpan<byte> utf8)
    {
        string text = Encoding.UTF8.GetString(utf8);
        int i = 0;
        bool negative = text[0] == '-';
        if (negative) i++;

        var digits = new StringBuilder(text.Length);
        long pointPosition = 0;
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++, pointPosition++)
        {
            digits.Append(text[i]);
        }

        if (i < text.Length && text[i] == '.')
        {
            for (i++; i < text.Length && char.IsAsciiDigit(text[i]); i++)
            {
                digits.Append(text[i]);
            }
        }

        long exponent = 0;
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            bool negativeExponent = text[i] == '-';
            if (text[i] is '+' or '-') i++;
            for (; i < text.Length; i++)
            {
                exponent = Math.Min(exponent * 10 + (text[i] - '0'), ExponentLimit);
            }

            if (negativeExponent) exponent = -exponent;
        }

        int start = 0;
        while (start < digits.Length && digits[start] == '0') start++;
        int end = digits.Length;
        while (end > start && digits[end - 1] == '0') end--;
        string significant = digits.ToString(start, end - start);
        long normalizedExponent = significant.Length == 0 ? 0 : pointPosition - start + exponent;
        long? int64 = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : null;
        return new ExactNumber(negative, significant, normalizedExponent, text, int64);
    }

    public int CompareTo(ExactNumber other)
    {
        if (Int64 is long x && other.Int64 is long y) return x.CompareTo(y);
        if (Sign != other.Sign) return Sign.CompareTo(other.Sign);
        if (Sign == 0) return 0;
        // Same sign and both normalised to 0.d1d2... × 10^e: the exponent decides, then the digits in order.
        int magnitude = Exponent != other.Exponent
            ? Exponent.CompareTo(other.Exponent)
            : Math.Sign(string.CompareOrdinal(Digits, other.Digits));
        return Sign * magnitude;
    }

    public bool IsMultipleOf(ExactNumber divisor)
    {
        if (Int64 is long x && divisor.Int64 is long y) return x % y == 0;
        if (Sign == 0) return true;
        // value = V × 10^a and divisor = D × 10^b with integer significands V and D.
        long shift = (Exponent - Digits.Length) - (divisor.Exponent - divisor.Digits.Length);
        // For a negative shift D × 10^-shift would have to divide V, but V ends in a non-zero digit.
        if (shift < 0) return false;
        var value = BigInteger.Parse(Digits, CultureInfo.InvariantCulture);
        var modulus = BigInteger.Parse(divisor.Digits, CultureInfo.InvariantCulture);
        return value * BigInteger.ModPow(10, shift, modulus) % modulus == 0;
    }
}
