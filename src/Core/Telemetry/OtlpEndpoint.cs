using System.Text;
using Orchestrator.Core.Notifications;
using Orchestrator.Core.Security;

namespace Orchestrator.Core.Telemetry;

/// <summary>
/// Reads, shows and targets an OTLP endpoint. The value is a base URL, as
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is: over http/protobuf traces go to <c>&lt;base&gt;/v1/traces</c>
/// and metrics to <c>&lt;base&gt;/v1/metrics</c>; over gRPC the service path follows the base.
/// Credentials in the URL (<c>https://user:pass@host</c>) are sent as HTTP Basic authorization and
/// never shown; secret-named query values are masked wherever the endpoint is displayed.
/// </summary>
public static class OtlpEndpoint
{
    /// <summary>Accepts an absolute <c>http</c> or <c>https</c> URL with a host.</summary>
    /// <param name="problem">What is wrong with it, without repeating the value.</param>
    public static bool TryParse(string text, out Uri? endpoint, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        endpoint = null;
        problem = null;
        string trimmed = text.Trim();
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out Uri? uri) || uri.IsFile || uri.IsUnc)
        {
            problem = "it is not an absolute URL (expected http://host:port or https://host:port)";
            return false;
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            problem = $"its scheme '{uri.Scheme}' is not http or https";
            return false;
        }

        if (uri.Host.Length == 0)
        {
            problem = "it has no host";
            return false;
        }

        endpoint = uri;
        return true;
    }

    /// <summary>The endpoint as it may be shown: no credentials, secret query values as <c>***</c>.</summary>
    public static string Display(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var text = new StringBuilder(endpoint.OriginalString.Length);
        text.Append(endpoint.Scheme).Append("://").Append(endpoint.Authority).Append(endpoint.AbsolutePath);
        text.Append(MaskQuery(endpoint.Query));
        return text.ToString();
    }

    /// <summary>A value that may not even parse, made safe for a warning: credentials and secret query values masked.</summary>
    public static string DisplayRaw(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParse(text, out Uri? endpoint, out _))
        {
            return Display(endpoint!);
        }

        string shown = NotificationRedactor.RedactText(text.Trim());
        // Without a scheme the redactor cannot see "user:pass@host"; whatever precedes an '@' may be a credential.
        int at = shown.LastIndexOf('@');
        if (at >= 0)
        {
            int start = shown.IndexOf("://", StringComparison.Ordinal) is int scheme and >= 0 && scheme < at ? scheme + 3 : 0;
            shown = shown[..start] + SecretNames.Mask + shown[at..];
        }

        int question = shown.IndexOf('?');
        return question < 0 ? shown : shown[..question] + MaskQuery(shown[question..]);
    }

    /// <summary>Where one signal is posted.</summary>
    internal static Uri ForSignal(Uri endpoint, TelemetryProtocol protocol, OtlpSignal signal)
    {
        var builder = new UriBuilder(endpoint) { UserName = string.Empty, Password = string.Empty };
        if (protocol == TelemetryProtocol.HttpProtobuf)
        {
            // A base URL: the signal path is appended to whatever path it has.
            builder.Path = builder.Path.TrimEnd('/') + (signal == OtlpSignal.Traces ? "/v1/traces" : "/v1/metrics");
        }

        return builder.Uri;
    }

    /// <summary>The Basic credentials of <c>scheme://user:pass@host</c>, or null when the URL has none.</summary>
    internal static string? BasicCredentials(Uri endpoint)
    {
        if (endpoint.UserInfo.Length == 0)
        {
            return null;
        }

        string[] parts = endpoint.UserInfo.Split(':', 2);
        string user = Uri.UnescapeDataString(parts[0]);
        string password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty;
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
    }

    private static string MaskQuery(string query)
    {
        if (query.Length <= 1)
        {
            return query;
        }

        string[] pairs = query[1..].Split('&');
        for (int i = 0; i < pairs.Length; i++)
        {
            int equals = pairs[i].IndexOf('=');
            if (equals > 0 && NotificationRedactor.IsSecretParameterName(Uri.UnescapeDataString(pairs[i][..equals].Replace('+', ' '))))
            {
                pairs[i] = pairs[i][..equals] + "=" + SecretNames.Mask;
            }
        }

        return "?" + string.Join('&', pairs);
    }
}
