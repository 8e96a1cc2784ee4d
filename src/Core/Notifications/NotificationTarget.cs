using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Orchestrator.Core.Notifications;

/// <summary>
/// One validated place a run's summary goes: a webhook (<c>http://</c>, <c>https://</c>) or a
/// program (<c>command:&lt;program&gt; [args...]</c>). <see cref="ToString"/> is the redacted form,
/// so a target can be logged or interpolated without leaking credentials.
/// </summary>
public sealed partial record NotificationTarget
{
    /// <summary>The prefix of a program target.</summary>
    public const string CommandPrefix = "command:";

    private NotificationTarget(NotificationTargetKind kind, string value, string redacted)
    {
        Kind = kind;
        Value = value;
        Redacted = redacted;
    }

    public NotificationTargetKind Kind { get; }

    /// <summary><c>webhook</c> or <c>command</c>, as reports name it.</summary>
    public string KindName => Kind == NotificationTargetKind.Webhook ? "webhook" : "command";

    /// <summary>The target as written, safe to show: credentials and secret query values are <c>***</c>.</summary>
    public string Redacted { get; }

    /// <summary>The program and its arguments for a command target (the JSON is appended when it runs); empty for a webhook.</summary>
    public ImmutableArray<string> Arguments { get; private init; } = [];

    /// <summary>The target as written, credentials included: for delivery only, never for display.</summary>
    internal string Value { get; }

    /// <summary>The URL a webhook is posted to, without its user info (sent as a Basic authorization header instead).</summary>
    internal Uri? RequestUri { get; private init; }

    /// <summary>The decoded <c>user:password</c> of a webhook URL, when it has one.</summary>
    internal string? Credentials { get; private init; }

    /// <summary>Parses and validates one target.</summary>
    /// <param name="value">The target as the user wrote it.</param>
    /// <param name="origin">Where it was given, named in the error (e.g. <c>ORCHESTRATOR_NOTIFY</c>).</param>
    /// <exception cref="NotificationConfigurationException">The target is empty or invalid.</exception>
    public static NotificationTarget Parse(string? value, string origin) =>
        TryParse(value, out var target, out string? error)
            ? target
            : throw new NotificationConfigurationException(origin, NotificationRedactor.RedactText(value?.Trim() ?? ""), error);

    /// <summary>Parses one target; on failure <paramref name="error"/> says why, without repeating the target.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out NotificationTarget? target, [NotNullWhen(false)] out string? error)
    {
        target = null;
        string text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            error = "the target is empty (expected an http:// or https:// URL, or command:<program> [args...])";
            return false;
        }

        if (text.StartsWith(CommandPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return TryParseCommand(text, out target, out error);
        }

        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseWebhook(text, out target, out error);
        }

        error = Scheme().Match(text) is { Success: true } scheme
            ? $"unknown scheme '{scheme.Groups[1].Value}' (expected http://, https:// or command:<program> [args...])"
            : "not a notification target (expected an http:// or https:// URL, or command:<program> [args...])";
        return false;
    }

    /// <summary>The redacted form; the raw value is never printed.</summary>
    public override string ToString() => Redacted;

    // Arguments and the URI are derived from Value, and ImmutableArray compares by reference.
    public bool Equals(NotificationTarget? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    private static bool TryParseCommand(string text, [NotNullWhen(true)] out NotificationTarget? target, [NotNullWhen(false)] out string? error)
    {
        target = null;
        var arguments = CommandLineSplitter.Split(text[CommandPrefix.Length..], out error);
        if (error is not null)
        {
            return false;
        }

        if (arguments.IsEmpty || arguments[0].Length == 0)
        {
            error = "command: names no program (expected command:<program> [args...])";
            return false;
        }

        target = new NotificationTarget(NotificationTargetKind.Command, text, NotificationRedactor.RedactText(text)) { Arguments = arguments };
        return true;
    }

    private static bool TryParseWebhook(string text, [NotNullWhen(true)] out NotificationTarget? target, [NotNullWhen(false)] out string? error)
    {
        target = null;
        if (text.Any(char.IsWhiteSpace))
        {
            error = "a URL cannot contain spaces (encode them as %20)";
            return false;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
        {
            error = "not a valid URL";
            return false;
        }

        if (uri.Host.Length == 0)
        {
            error = "the URL has no host";
            return false;
        }

        // Split before unescaping: an encoded ':' or '@' belongs to the name or password it is in.
        string? credentials = null;
        if (uri.UserInfo.Length > 0)
        {
            string[] parts = uri.UserInfo.Split(':', 2);
            credentials = Uri.UnescapeDataString(parts[0]) + ":" + (parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
        }

        var withoutUserInfo = new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
        target = new NotificationTarget(NotificationTargetKind.Webhook, text, NotificationRedactor.RedactUrl(uri))
        {
            RequestUri = withoutUserInfo,
            Credentials = credentials,
        };
        error = null;
        return true;
    }

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.\-]*):", RegexOptions.CultureInvariant)]
    private static partial Regex Scheme();
}
