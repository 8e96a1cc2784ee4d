using System.Collections.Immutable;
using System.Text;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Notifications;

/// <summary>
/// Decides which targets a run notifies: the door's (CLI <c>--notify</c>, MSBuild
/// <c>OrchestratorNotify</c>, a Cake setting), else <c>ORCHESTRATOR_NOTIFY</c>, else the
/// configuration's <c>notify:</c> list. The first source with any target wins entirely; lists are
/// never merged, so a build can point notifications elsewhere without inheriting the repository's.
/// </summary>
public static class NotificationSettings
{
    /// <summary>Targets separated by commas (a comma inside quotes belongs to the target).</summary>
    public const string EnvironmentVariable = "ORCHESTRATOR_NOTIFY";

    /// <summary>Applies door &gt; environment &gt; configuration and validates the winning targets.</summary>
    /// <param name="doorTargets">What the door was given; empty when it was given none.</param>
    /// <param name="doorSource">The door: <c>cli</c>, <c>msbuild</c>, <c>cake</c> or <c>sdk</c>.</param>
    /// <param name="environment">Reads a variable (<c>Environment.GetEnvironmentVariable</c> in production).</param>
    /// <param name="configTargets">The configuration's effective <c>notify:</c> list (<c>EffectiveSettings.Notify</c>).</param>
    /// <exception cref="NotificationConfigurationException">A target of the winning source is invalid.</exception>
    /// <exception cref="ArgumentException"><paramref name="doorSource"/> is not a door.</exception>
    public static NotificationResolution Resolve(
        IReadOnlyList<string> doorTargets,
        string doorSource,
        Func<string, string?> environment,
        IReadOnlyList<string> configTargets)
    {
        ArgumentNullException.ThrowIfNull(doorTargets);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(configTargets);
        NotificationSource door = ParseDoor(doorSource);

        if (doorTargets.Count > 0)
        {
            return new NotificationResolution(ParseAll(doorTargets, DoorOrigin(door)), door);
        }

        // An empty (or blank) variable counts as unset, as every ORCHESTRATOR_* variable does.
        if (environment(EnvironmentVariable) is { } variable && !string.IsNullOrWhiteSpace(variable))
        {
            return new NotificationResolution(ParseAll(SplitList(variable), $"environment variable {EnvironmentVariable}"), NotificationSource.Environment);
        }

        return configTargets.Count > 0
            ? new NotificationResolution(ParseAll(configTargets, "configuration 'notify'"), NotificationSource.Config)
            : NotificationResolution.None;
    }

    /// <summary>Splits an <c>ORCHESTRATOR_NOTIFY</c> value on the commas that are outside quotes; pieces are trimmed.</summary>
    public static ImmutableArray<string> SplitList(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var items = ImmutableArray.CreateBuilder<string>();
        var current = new StringBuilder();
        char quote = '\0';
        foreach (char c in value)
        {
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == ',')
            {
                items.Add(current.ToString().Trim());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        items.Add(current.ToString().Trim());
        return items.ToImmutable();
    }

    private static ImmutableArray<NotificationTarget> ParseAll(IReadOnlyList<string> values, string origin)
    {
        var targets = ImmutableArray.CreateBuilder<NotificationTarget>(values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            // Position matters when the target itself is empty and so cannot name itself.
            string where = values.Count > 1 ? $"{origin} (target {i + 1} of {values.Count})" : origin;
            targets.Add(NotificationTarget.Parse(values[i], where));
        }

        return targets.MoveToImmutable();
    }

    private static NotificationSource ParseDoor(string doorSource)
    {
        ArgumentNullException.ThrowIfNull(doorSource);
        foreach (var door in (ReadOnlySpan<NotificationSource>)[NotificationSource.Cli, NotificationSource.MSBuild, NotificationSource.Cake, NotificationSource.Sdk])
        {
            if (string.Equals(WireNames.Of(door), doorSource, StringComparison.OrdinalIgnoreCase))
            {
                return door;
            }
        }

        throw new ArgumentException($"'{doorSource}' is not a door (expected cli, msbuild, cake or sdk).", nameof(doorSource));
    }

    private static string DoorOrigin(NotificationSource door) => door switch
    {
        NotificationSource.Cli => "--notify",
        NotificationSource.MSBuild => "property OrchestratorNotify",
        NotificationSource.Cake => "Cake notify setting",
        _ => "SDK notification targets",
    };
}
