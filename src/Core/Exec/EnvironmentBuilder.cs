using System.Collections;
using System.Collections.Immutable;

namespace Orchestrator.Core.Exec;

/// <summary>
/// Builds a child environment: this process's environment with an overlay applied (a value adds or
/// overrides, a null value removes the variable).
/// </summary>
public static class EnvironmentBuilder
{
    public static ImmutableDictionary<string, string> Compose(IReadOnlyDictionary<string, string?>? overlay)
    {
        var result = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                result[key] = value;
            }
        }

        if (overlay is not null)
        {
            foreach (var (key, value) in overlay)
            {
                if (value is null)
                {
                    result.Remove(key);
                }
                else
                {
                    result[key] = value;
                }
            }
        }

        return result.ToImmutable();
    }

    public static ImmutableArray<string> ToEntries(IReadOnlyDictionary<string, string> environment)
    {
        var entries = ImmutableArray.CreateBuilder<string>(environment.Count);
        foreach (var (key, value) in environment)
        {
            entries.Add(key + "=" + value);
        }

        return entries.MoveToImmutable();
    }

    /// <summary>Validates overlay names: a name is non-empty and holds no '=' or NUL.</summary>
    public static void ValidateOverlay(IReadOnlyDictionary<string, string?> overlay)
    {
        foreach (var (key, value) in overlay)
        {
            if (string.IsNullOrEmpty(key) || key.Contains('=') || key.Contains('\0'))
            {
                throw new ArgumentException($"Invalid environment variable name '{key}': a name cannot be empty or contain '=' or NUL.");
            }

            if (value is not null && value.Contains('\0'))
            {
                throw new ArgumentException($"The value of environment variable '{key}' contains a NUL character.");
            }
        }
    }
}
