using System.Collections.Immutable;

namespace Orchestrator.Core.Security;

/// <summary>
/// What a run treats as secret beyond variables whose names contain TOKEN, SECRET, PASSWORD or KEY:
/// more variable names and patterns (from <c>secrets:</c> in the configuration) and literal values a
/// door registered. Their values become <c>***</c> in output, events, manifest, logs and telemetry.
/// </summary>
/// <param name="EnvironmentNames">More names whose values are secret (case-insensitive).</param>
/// <param name="Patterns">.NET regular expressions; matches within a line are masked.</param>
/// <param name="Values">Literal secret values (at least 4 characters to count).</param>
public sealed record SecretSettings(ImmutableArray<string> EnvironmentNames, ImmutableArray<string> Patterns, ImmutableArray<string> Values)
{
    public static SecretSettings Default { get; } = new([], [], []);

    private static volatile CachedSet? _last;

    /// <summary>The secrets of a command: these settings applied to its whole environment.</summary>
    /// <remarks>
    /// Every command of a build asks with the same environment and settings (an MSBuild node runs
    /// hundreds): the last answer is kept per process and given again while both are unchanged.
    /// A <see cref="SecretSet"/> is immutable, so sharing it is safe.
    /// </remarks>
    public SecretSet For(IEnumerable<KeyValuePair<string, string>> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var last = _last;
        if (last is not null && environment is ImmutableDictionary<string, string> && ReferenceEquals(last.Source, environment) && last.SameSettings(this))
        {
            // The very same immutable environment (EnvironmentBuilder gives the same instance again).
            return last.Set;
        }

        KeyValuePair<string, string>[] snapshot = [.. environment];
        if (last is not null && last.Matches(this, snapshot))
        {
            return last.Set;
        }

        var set = SecretSet.Create(snapshot.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)), EnvironmentNames, Values, Patterns);
        _last = new CachedSet(EnvironmentNames, Patterns, Values, snapshot, environment as ImmutableDictionary<string, string>, set);
        return set;
    }

    private sealed record CachedSet(
        ImmutableArray<string> Names, ImmutableArray<string> Patterns, ImmutableArray<string> Values,
        KeyValuePair<string, string>[] Environment, ImmutableDictionary<string, string>? Source, SecretSet Set)
    {
        public bool SameSettings(SecretSettings settings) =>
            Names.SequenceEqual(settings.EnvironmentNames, StringComparer.Ordinal) &&
            Patterns.SequenceEqual(settings.Patterns, StringComparer.Ordinal) &&
            Values.SequenceEqual(settings.Values, StringComparer.Ordinal);

        public bool Matches(SecretSettings settings, KeyValuePair<string, string>[] environment)
        {
            if (!SameSettings(settings) || Environment.Length != environment.Length)
            {
                return false;
            }

            for (int i = 0; i < environment.Length; i++)
            {
                if (!string.Equals(Environment[i].Key, environment[i].Key, StringComparison.Ordinal) ||
                    !string.Equals(Environment[i].Value, environment[i].Value, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
