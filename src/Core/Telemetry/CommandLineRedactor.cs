using System.Text.RegularExpressions;
using Orchestrator.Core.Notifications;
using Orchestrator.Core.Security;

namespace Orchestrator.Core.Telemetry;

/// <summary>
/// Makes a command line fit for a span attribute, which leaves the machine: the run's secret values
/// (<see cref="SecretSet"/>), URL credentials, values assigned to secret-looking names
/// (<c>API_TOKEN=…</c>, <c>--password=…</c>, <c>?key=…</c>), values after secret-looking options
/// (<c>--token …</c>) and <c>Authorization:</c> header values become <c>***</c>. It masks more than
/// the manifest does (which records commands verbatim), on purpose: a trace backend is shared.
/// </summary>
internal sealed partial class CommandLineRedactor(SecretSet secrets)
{
    /// <summary>Longer command lines are cut: an attribute is for finding the command, the manifest has all of it.</summary>
    public const int MaxLength = 2048;

    public string Redact(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        try
        {
            string text = secrets.RedactText(commandLine);
            text = NotificationRedactor.RedactText(text);
            text = Assignment().Replace(text, m => SecretNames.LooksSecret(m.Groups["name"].Value) ? m.Groups["name"].Value + "=" + SecretNames.Mask : m.Value);
            text = SecretOption().Replace(text, m => SecretNames.LooksSecret(m.Groups["flag"].Value) ? m.Groups["flag"].Value + m.Groups["space"].Value + SecretNames.Mask : m.Value);
            text = AuthorizationHeader().Replace(text, m => m.Groups["head"].Value + SecretNames.Mask);
            return text.Length <= MaxLength ? text : text[..(MaxLength - 3)] + "...";
        }
        catch (RegexMatchTimeoutException)
        {
            // Undecided means unsafe.
            return SecretNames.Mask;
        }
    }

    [GeneratedRegex(@"(?<name>\b[A-Za-z_][A-Za-z0-9_.\-]*)=(?<value>""[^""]*""|'[^']*'|[^\s&;|]+)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 250)]
    private static partial Regex Assignment();

    [GeneratedRegex(@"(?<flag>(?<![\w-])--?[A-Za-z][A-Za-z0-9_\-]*)(?<space>\s+)(?<value>""[^""]*""|'[^']*'|[^\s&;|\-][^\s&;|]*)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 250)]
    private static partial Regex SecretOption();

    [GeneratedRegex(@"(?<head>\b(?:proxy-)?authorization\s*:\s*(?:(?:bearer|basic|token|digest)\s+)?)(?<value>[^'""\s]+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 250)]
    private static partial Regex AuthorizationHeader();
}
