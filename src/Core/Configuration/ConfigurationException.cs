namespace Orchestrator.Core.Configuration;

/// <summary>
/// A configuration value that cannot be used. The message leads with where it was written, like a
/// compiler's: <c>/repo/orchestrator.yaml:12:5: unknown key 'sandbx' (expected one of: ...)</c>, or
/// names the environment variable or explicit setting instead. Doors can log <see cref="Reason"/>
/// with <see cref="FilePath"/>, <see cref="Line"/> and <see cref="Column"/> as structured fields.
/// </summary>
public sealed class ConfigurationException : Exception
{
    private ConfigurationException(string prefix, string reason, Exception? inner)
        : base($"{prefix}: {reason}", inner)
    {
        Reason = reason;
    }

    /// <summary>What is wrong, without the location prefix.</summary>
    public string Reason { get; }

    /// <summary>The file the value was read from; null for environment and explicit settings.</summary>
    public string? FilePath { get; private init; }

    /// <summary>1-based line of the offending node; null when the error is about the whole file or not about a file.</summary>
    public int? Line { get; private init; }

    /// <summary>1-based column of the offending node; null when <see cref="Line"/> is.</summary>
    public int? Column { get; private init; }

    /// <summary>The environment variable holding the bad value, when it came from the environment.</summary>
    public string? EnvironmentVariable { get; private init; }

    /// <summary>The key (as in the file, e.g. <c>retries.maxAttempts</c>) of a bad explicit setting.</summary>
    public string? Setting { get; private init; }

    public static ConfigurationException At(ConfigLocation location, string reason, Exception? inner = null) =>
        new(location.ToString(), reason, inner) { FilePath = location.FilePath, Line = location.Line, Column = location.Column };

    public static ConfigurationException InFile(string filePath, string reason, Exception? inner = null) =>
        new(filePath, reason, inner) { FilePath = filePath };

    public static ConfigurationException InEnvironment(string variable, string reason) =>
        new($"environment variable {variable}", reason, null) { EnvironmentVariable = variable };

    public static ConfigurationException InSetting(string setting, string reason) =>
        new($"explicit setting {setting}", reason, null) { Setting = setting };
}
