using System.Text.RegularExpressions;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Orchestration.Approvals;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Configuration;

/// <summary>
/// The value rules and defaults every level shares (file, environment, explicit), so a value means
/// the same and fails the same way wherever it is set. <c>schemas/config.json</c> mirrors them.
/// </summary>
internal static class SettingRules
{
    public const int MinAttempts = 1;
    public const int MaxAttempts = 20;
    public const int DefaultMaxAttempts = 3;

    /// <summary>The kernel's own ceiling on pids (pid_max).</summary>
    public const int MaxSandboxProcesses = 4_194_304;
    public const int DefaultInitialDelayMs = 250;
    public const int DefaultMaxDelayMs = 10_000;

    // Exit code 0 is success, and a process exit status is one byte, so only 1-255 can name a transient failure.
    public const int MinExitCode = 1;
    public const int MaxExitCode = 255;

    public const long DefaultEventBudgetBytes = 1024 * 1024;
    public const int DefaultCaptureBytes = 64 * 1024;

    // The head+tail capture keeps at least one byte of each end.
    public const int MinCaptureBytes = 2;

    public const string ApprovalCacheFileName = "approvals.jsonl";

    public static readonly EnumNames<ApprovalPolicy> Policies = EnumNames<ApprovalPolicy>.All();

    public static readonly EnumNames<SandboxMode> SandboxModes = EnumNames<SandboxMode>.All();

    public static readonly EnumNames<ApprovalAction> RuleActions = new(ApprovalAction.Escalate, ApprovalAction.Run);

    // "once" is a prompt answer, never something a file can pre-approve.
    public static readonly EnumNames<ApprovalScope> RuleScopes = new(ApprovalScope.Run, ApprovalScope.Task, ApprovalScope.Persistent);

    public static string? TaskIdError(string value) =>
        TaskId.IsValid(value, out string? reason) ? null : $"invalid task id '{value}': {reason}";

    public static string? RegexError(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"invalid regular expression '{pattern}': {e.Message}";
        }
    }

    /// <summary>Why a notification target is invalid (credentials in it masked), or null when it is valid.</summary>
    public static string? NotifyTargetError(string target) =>
        Notifications.NotificationTarget.TryParse(target, out _, out string? error)
            ? null
            : $"invalid notification target '{Notifications.NotificationRedactor.RedactText(target.Trim())}': {error}";

    public static bool IsEnvironmentName(string name) =>
        name.Length > 0 &&
        (char.IsAsciiLetter(name[0]) || name[0] == '_') &&
        name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    public static string OutOfRange(string got, long min, long max) =>
        max is long.MaxValue or int.MaxValue
            ? $"must be at least {min}, got {got}"
            : $"must be between {min} and {max}, got {got}";
}
