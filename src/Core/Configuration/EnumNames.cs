using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Configuration;

/// <summary>The spellings a configuration accepts for an enum: exactly its wire names, so the file, the manifest and the schema agree.</summary>
internal sealed class EnumNames<T>
    where T : struct, Enum
{
    private readonly T[] _values;
    private (string Name, T Value)[]? _entries;

    public EnumNames(params T[] values)
    {
        _values = values;
    }

    // Named on first use: SettingRules is touched by every run, a spelled-out enum only by some.
    private (string Name, T Value)[] Entries => _entries ??= [.. _values.Select(v => (WireNames.Of(v), v))];

    public static EnumNames<T> All() => new(Enum.GetValues<T>());

    /// <summary>The accepted names, comma separated, for error messages.</summary>
    public string Expected => string.Join(", ", Entries.Select(e => e.Name));

    /// <summary>Configuration files and variables: the wire name exactly.</summary>
    public bool TryParse(string text, out T value) => TryParse(text, StringComparison.Ordinal, out value);

    /// <summary>A door's parameter: the wire name in any case, blanks around it ignored (MSBuild and Cake users type "Never").</summary>
    public bool TryParseParameter(string text, out T value) => TryParse(text.Trim(), StringComparison.OrdinalIgnoreCase, out value);

    private bool TryParse(string text, StringComparison comparison, out T value)
    {
        foreach (var (name, candidate) in Entries)
        {
            if (string.Equals(name, text, comparison))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
