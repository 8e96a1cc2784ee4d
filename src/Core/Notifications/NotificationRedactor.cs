using System.Text;
using System.Text.RegularExpressions;
using Orchestrator.Core.Security;

namespace Orchestrator.Core.Notifications;

/// <summary>
/// Makes targets safe to show in reports, logs and manifests. A webhook URL is itself often the
/// secret, so besides the credentials and secret-named query parameters the spec asks for, path
/// segments that look like generated tokens (Slack's, Discord's, Teams' webhook keys) are masked too.
/// </summary>
public static partial class NotificationRedactor
{
    // Shorter segments are ids and words (T0123ABCD, services, api); the generated keys are longer.
    private const int MinTokenSegmentLength = 16;

    private static readonly string[] SecretNameParts = ["token", "key", "secret", "password"];
    private static readonly string[] SecretNameWords = ["sig", "signature"];

    /// <summary>The display form of a webhook URL: <c>https://***@host/path?token=***</c>.</summary>
    public static string RedactUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = new StringBuilder(url.OriginalString.Length);
        text.Append(url.Scheme).Append("://");
        if (url.UserInfo.Length > 0)
        {
            text.Append(SecretNames.Mask).Append('@');
        }

        text.Append(url.Authority);
        text.Append(RedactPath(url.AbsolutePath));
        text.Append(RedactQuery(url.Query));
        text.Append(url.Fragment);
        return text.ToString();
    }

    /// <summary>
    /// Masks <c>scheme://user:pass@</c> anywhere in free text (a target that did not parse, a
    /// <c>command:</c> argument, an error message), since it may end up in a log.
    /// </summary>
    public static string RedactText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return UserInfoInText().Replace(text, "${scheme}" + SecretNames.Mask + "@");
    }

    /// <summary>Whether a query parameter's name marks its value as secret (case-insensitive).</summary>
    public static bool IsSecretParameterName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (string part in SecretNameParts)
        {
            if (name.Contains(part, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        // "sig" is matched as a word only: as a substring it would hit "design" or "signal".
        foreach (string word in NonAlphanumeric().Split(name))
        {
            if (SecretNameWords.Contains(word, StringComparer.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string RedactPath(string path)
    {
        string[] segments = path.Split('/');
        for (int i = 0; i < segments.Length; i++)
        {
            if (LooksLikeToken(segments[i]))
            {
                segments[i] = SecretNames.Mask;
            }
        }

        return string.Join('/', segments);
    }

    private static string RedactQuery(string query)
    {
        if (query.Length <= 1)
        {
            return query;
        }

        string[] pairs = query[1..].Split('&');
        for (int i = 0; i < pairs.Length; i++)
        {
            int equals = pairs[i].IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            string name = pairs[i][..equals];
            string decoded = Uri.UnescapeDataString(name.Replace('+', ' '));
            if (IsSecretParameterName(decoded))
            {
                pairs[i] = name + "=" + SecretNames.Mask;
            }
        }

        return "?" + string.Join('&', pairs);
    }

    /// <summary>Long, and mixing at least two of lower case, upper case and digits: a generated key rather than a word.</summary>
    private static bool LooksLikeToken(string segment)
    {
        if (segment.Length < MinTokenSegmentLength)
        {
            return false;
        }

        bool lower = false, upper = false, digit = false;
        foreach (char c in segment)
        {
            lower |= char.IsAsciiLetterLower(c);
            upper |= char.IsAsciiLetterUpper(c);
            digit |= char.IsAsciiDigit(c);
        }

        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) >= 2;
    }

    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)[^/?#@\s]+@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfoInText();

    [GeneratedRegex(@"[^A-Za-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex NonAlphanumeric();
}
