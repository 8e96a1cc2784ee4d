using System.Globalization;

namespace Orchestrator.Core.Configuration;

/// <summary>Reads the <c>ORCHESTRATOR_*</c> variables (and <c>MCP_RUNNER_TASK_ID</c>) into the same shape a door passes.</summary>
internal static class EnvironmentSettingsReader
{
    // Which variable set a key, for the error: the settings table pairs them (docs/settings.md).
    private static readonly Lazy<Dictionary<string, string>> VariableOfKey = new(() =>
        Settings.SettingsTable.All
            .Where(s => s.YamlKey is not null && s.EnvironmentVariable is not null)
            .ToDictionary(s => s.YamlKey!, s => s.EnvironmentVariable!, StringComparer.Ordinal));

    /// <summary>An empty variable counts as unset, as it does for <c>MCP_RUNNER_TASK_ID</c> everywhere else.</summary>
    public static ExplicitSettings Read(Func<string, string?> environment, string workingDirectory, string? homeDirectory)
    {
        string? Get(string name) => environment(name) is { Length: > 0 } value ? value : null;

        var settings = new ExplicitSettings
        {
            TaskId = Get(ConfigurationEnvironment.TaskId),
            RunsRoot = Get(ConfigurationEnvironment.RunsRoot),
            ApprovalPolicy = Get(ConfigurationEnvironment.ApprovalPolicy) is { } policy
                ? ParseEnum(policy, ConfigurationEnvironment.ApprovalPolicy, SettingRules.Policies)
                : null,
            SandboxMode = Get(ConfigurationEnvironment.SandboxMode) is { } mode
                ? ParseEnum(mode, ConfigurationEnvironment.SandboxMode, SettingRules.SandboxModes)
                : null,
            Network = Get(ConfigurationEnvironment.Network) is { } network ? ParseBoolean(network, ConfigurationEnvironment.Network) : null,
            WritableRoots = Get(ConfigurationEnvironment.WritableRoots) is { } roots
                ? [.. roots.Split(':', StringSplitOptions.RemoveEmptyEntries)]
                : null,
            MaxAttempts = Get(ConfigurationEnvironment.MaxAttempts) is { } attempts
                ? (int)ParseInteger(attempts, ConfigurationEnvironment.MaxAttempts, SettingRules.MinAttempts, SettingRules.MaxAttempts)
                : null,
            MaxProcesses = Get(ConfigurationEnvironment.MaxProcesses) is { } processes
                ? (int)ParseInteger(processes, ConfigurationEnvironment.MaxProcesses, 0, SettingRules.MaxSandboxProcesses)
                : null,
            MaxMemoryBytes = Get(ConfigurationEnvironment.MaxMemoryBytes) is { } memory
                ? ParseInteger(memory, ConfigurationEnvironment.MaxMemoryBytes, 0, long.MaxValue)
                : null,
            EventBudgetBytes = Get(ConfigurationEnvironment.EventBudgetBytes) is { } budget
                ? ParseInteger(budget, ConfigurationEnvironment.EventBudgetBytes, 0, long.MaxValue)
                : null,
            CaptureBytes = Get(ConfigurationEnvironment.CaptureBytes) is { } capture
                ? (int)ParseInteger(capture, ConfigurationEnvironment.CaptureBytes, SettingRules.MinCaptureBytes, int.MaxValue)
                : null,
        };

        return SettingsNormalizer.Normalize(
            settings,
            workingDirectory,
            homeDirectory,
            (key, reason) => ConfigurationException.InEnvironment(VariableOfKey.Value[key], reason));
    }

    private static T ParseEnum<T>(string text, string variable, EnumNames<T> names)
        where T : struct, Enum =>
        names.TryParse(text, out T value)
            ? value
            : throw ConfigurationException.InEnvironment(variable, $"invalid value '{text}' (expected one of: {names.Expected})");

    private static bool ParseBoolean(string text, string variable) => text switch
    {
        "1" => true,
        "0" => false,
        _ when text.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
        _ when text.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        _ => throw ConfigurationException.InEnvironment(variable, $"expected true, false, 1 or 0, got '{text}'"),
    };

    private static long ParseInteger(string text, string variable, long min, long max)
    {
        string digits = text is ['-' or '+', .. var rest] ? rest : text;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            throw ConfigurationException.InEnvironment(variable, $"expected an integer, got '{text}'");
        }

        // A well-formed integer that does not parse is too large for any setting: out of range like the rest.
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) && value >= min && value <= max
            ? value
            : throw ConfigurationException.InEnvironment(variable, SettingRules.OutOfRange(text, min, max));
    }
}
