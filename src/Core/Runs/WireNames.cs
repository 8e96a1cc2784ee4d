using System.Reflection;
using System.Text.Json.Serialization;

namespace Orchestrator.Core.Runs;

/// <summary>The JSON name of an enum member (its <see cref="JsonStringEnumMemberNameAttribute"/>), for events and logs.</summary>
public static class WireNames
{
    private static readonly Dictionary<Enum, string> Cache = [];
    private static readonly Lock Gate = new();

    public static string Of<T>(T value)
        where T : struct, Enum
    {
        lock (Gate)
        {
            if (Cache.TryGetValue(value, out string? name))
            {
                return name;
            }

            string text = value.ToString();
            FieldInfo? field = typeof(T).GetField(text, BindingFlags.Public | BindingFlags.Static);
            name = field?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? text;
            Cache[value] = name;
            return name;
        }
    }
}
