using System.Collections.Immutable;

namespace Orchestrator.Core.Configuration;

/// <summary>
/// Checks explicit or environment values against the same rules a file's values meet, and makes
/// their paths absolute against the working directory.
/// </summary>
internal static class SettingsNormalizer
{
    /// <param name="error">Builds the exception for a key (as in the file, e.g. <c>retries.maxAttempts</c>) and a reason.</param>
    public static ExplicitSettings Normalize(
        ExplicitSettings settings,
        string workingDirectory,
        string? homeDirectory,
        Func<string, string, ConfigurationException> error)
    {
        string? Path(string? value, string key) =>
            string.IsNullOrEmpty(value) ? null
            : ConfigPaths.Resolve(value, workingDirectory, homeDirectory, out string? reason) ?? throw error(key, reason!);

        T? Defined<T>(T? value, string key, EnumNames<T> names)
            where T : struct, Enum =>
            value is { } v && !Enum.IsDefined(v) ? throw error(key, $"{v} is not one of: {names.Expected}") : value;

        int? Int32InRange(int? value, string key, int min, int max) =>
            value is { } v && (v < min || v > max) ? throw error(key, SettingRules.OutOfRange(v.ToString(), min, max)) : value;

        string? taskId = string.IsNullOrEmpty(settings.TaskId) ? null : settings.TaskId;
        if (taskId is not null && SettingRules.TaskIdError(taskId) is { } taskIdError)
        {
            throw error("taskId", taskIdError);
        }

        if (settings.EventBudgetBytes is < 0)
        {
            throw error("output.eventBudgetBytes", SettingRules.OutOfRange(settings.EventBudgetBytes.Value.ToString(), 0, long.MaxValue));
        }

        return settings with
        {
            TaskId = taskId,
            RunsRoot = Path(settings.RunsRoot, "runsRoot"),
            ApprovalPolicy = Defined(settings.ApprovalPolicy, "approvalPolicy", SettingRules.Policies),
            SandboxMode = Defined(settings.SandboxMode, "sandbox.mode", SettingRules.SandboxModes),
            WritableRoots = Present(settings.WritableRoots) is { } roots
                ? [.. roots.Select(root => Path(root, "sandbox.writableRoots") ?? throw error("sandbox.writableRoots", "a path cannot be empty"))]
                : null,
            MaxAttempts = Int32InRange(settings.MaxAttempts, "retries.maxAttempts", SettingRules.MinAttempts, SettingRules.MaxAttempts),
            InitialDelayMs = Int32InRange(settings.InitialDelayMs, "retries.initialDelayMs", 0, int.MaxValue),
            MaxDelayMs = Int32InRange(settings.MaxDelayMs, "retries.maxDelayMs", 0, int.MaxValue),
            TransientExitCodes = Present(settings.TransientExitCodes) is { } codes
                ? [.. codes.Select(code => Int32InRange(code, "retries.transientExitCodes", SettingRules.MinExitCode, SettingRules.MaxExitCode)!.Value)]
                : null,
            TransientOutputPatterns = Present(settings.TransientOutputPatterns) is { } patterns
                ? [.. patterns.Select(p => SettingRules.RegexError(p) is { } e ? throw error("retries.transientOutputPatterns", e) : p)]
                : null,
            ApprovalCacheFile = Path(settings.ApprovalCacheFile, "approvals.cacheFile"),
            CaptureBytes = Int32InRange(settings.CaptureBytes, "output.captureBytes", SettingRules.MinCaptureBytes, int.MaxValue),
        };
    }

    // A default(ImmutableArray) inside a non-null value is a caller's slip, not "set to empty".
    private static ImmutableArray<T>? Present<T>(ImmutableArray<T>? value) =>
        value is { IsDefault: false } ? value : null;
}
