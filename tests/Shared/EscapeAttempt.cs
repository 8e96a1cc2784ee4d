namespace Orchestrator.Tests.Shared;

/// <summary>
/// One attack step of an escape test, as shell: it prints <c>TRIED-name</c> always and
/// <c>ESCAPED-name</c> only when the command succeeded, so a test can tell that every
/// attempt ran and that none worked.
/// </summary>
public static class EscapeAttempt
{
    public const string TriedPrefix = "TRIED-";

    public const string EscapedPrefix = "ESCAPED-";

    public static string Shell(string name, string command) =>
        $"if {command} >/dev/null 2>&1; then echo {EscapedPrefix}{name}; fi; echo {TriedPrefix}{name}";
}
