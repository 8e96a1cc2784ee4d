using System.Collections;
using System.Collections.Immutable;

namespace Orchestrator.Core.Exec;

/// <summary>
/// Builds a child environment: this process's environment with an overlay applied (a value adds or
/// overrides, a null value removes the variable).
/// </summary>
public static class EnvironmentBuilder
{
    private static volatile Composed? _last;

    /// <remarks>
    /// A build node composes the same environment for every command (twice: the tool run's secrets,
    /// then the command's own). The last result is kept per process and given again, the same
    /// instance, while the process environment and the overlay are unchanged; checking that costs a
    /// lookup per variable instead of building the dictionary again.
    /// </remarks>
    public static ImmutableDictionary<string, string> Compose(IReadOnlyDictionary<string, string?>? overlay)
    {
        IDictionary current = System.Environment.GetEnvironmentVariables();
        if (_last is { } last && last.Matches(current, overlay))
        {
            return last.Result;
        }

        var process = new Dictionary<string, string>(current.Count, StringComparer.Ordinal);
        var result = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in current)
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                result[key] = value;
                process[key] = value;
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

        var composed = result.ToImmutable();
        _last = new Composed(process, overlay is null ? [] : [.. overlay], composed);
        return composed;
    }

    private sealed record Composed(Dictionary<string, string> Process, KeyValuePair<string, string?>[] Overlay, ImmutableDictionary<string, string> Result)
    {
        public bool Matches(IDictionary current, IReadOnlyDictionary<string, string?>? overlay)
        {
            if (current.Count != Process.Count || (overlay?.Count ?? 0) != Overlay.Length)
            {
                return false;
            }

            foreach (DictionaryEntry entry in current)
            {
                if (entry.Key is not string key || entry.Value is not string value ||
                    !Process.TryGetValue(key, out string? known) || !string.Equals(known, value, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            foreach (var (key, value) in Overlay)
            {
                if (!overlay!.TryGetValue(key, out string? given) || !string.Equals(given, value, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }
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
}
