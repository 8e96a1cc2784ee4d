using System.Collections.Immutable;

namespace Orchestrator.Core.Validation;

/// <summary>
/// The variables a door sets for a command on top of the inherited environment: a name is not
/// empty and holds no '=' or NUL, a value holds no NUL (execve could not pass either). A null value
/// removes the variable.
/// </summary>
public static class EnvironmentOverlay
{
    /// <summary>
    /// Reads <c>NAME=value</c> entries (MSBuild items, CLI <c>--env</c>); a later entry for a name
    /// replaces an earlier one. On failure <paramref name="badEntry"/> is the entry and
    /// <paramref name="problem"/> why.
    /// </summary>
    public static bool TryParseEntries(IEnumerable<string> entries, out ImmutableDictionary<string, string?> overlay, out string? badEntry, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var builder = ImmutableDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
        foreach (string entry in entries)
        {
            int equals = entry.IndexOf('=', StringComparison.Ordinal);
            problem = equals <= 0 ? "it is not of the form NAME=value" : Problem(entry[..equals], entry[(equals + 1)..]);
            if (problem is not null)
            {
                overlay = ImmutableDictionary<string, string?>.Empty;
                badEntry = entry;
                return false;
            }

            builder[entry[..equals]] = entry[(equals + 1)..];
        }

        overlay = builder.ToImmutable();
        badEntry = null;
        problem = null;
        return true;
    }

    /// <summary>Checks name/value pairs (Cake, the SDKs). On failure <paramref name="badName"/> is the name and <paramref name="problem"/> why.</summary>
    public static bool TryCreate(IEnumerable<KeyValuePair<string, string?>> variables, out ImmutableDictionary<string, string?> overlay, out string? badName, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var builder = ImmutableDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            problem = Problem(name, value);
            if (problem is not null)
            {
                overlay = ImmutableDictionary<string, string?>.Empty;
                badName = name;
                return false;
            }

            builder[name] = value;
        }

        overlay = builder.ToImmutable();
        badName = null;
        problem = null;
        return true;
    }

    /// <summary>Null when the pair can be passed to a process; else why not.</summary>
    public static string? Problem(string? name, string? value)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a variable name cannot be empty";
        }

        if (name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            return "a variable name cannot contain '=' or NUL";
        }

        return value is not null && value.Contains('\0', StringComparison.Ordinal) ? "a value cannot contain NUL" : null;
    }
}
