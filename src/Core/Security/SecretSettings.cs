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

    /// <summary>The secrets of a command: these settings applied to its whole environment.</summary>
    public SecretSet For(IEnumerable<KeyValuePair<string, string>> environment) =>
        SecretSet.Create(environment.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)), EnvironmentNames, Values, Patterns);
}
