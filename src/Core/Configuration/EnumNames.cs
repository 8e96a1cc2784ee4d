using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Configuration;

/// <summary>The spellings a configuration accepts for an enum: exactly its wire names, so the file, the manifest and the schema agree.</summary>
internal sealed class EnumNames<T>
    where T : struct, Enum
{
    private readonly (string Name, T Value)[] _entries;

    public EnumNames(params T[] values)
    {
        _entries = [.. values.Select(v => (WireNames.Of(v), v))];
    }

    public static EnumNames<T> All() => new(Enum.GetValues<T>());

    /// <summary>The accepted names, comma separated, for error messages.</summary>
    public string Expected => string.Join(", ", _entries.Select(e => e.Name));

    public bool TryParse(string text, out T value)
    {
        foreach (var (name, candidate) in _entries)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
