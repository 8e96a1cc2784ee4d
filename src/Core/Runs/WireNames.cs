using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;

namespace Orchestrator.Core.Runs;

/// <summary>The JSON name of an enum member (its <see cref="JsonStringEnumMemberNameAttribute"/>), for events and logs.</summary>
public static class WireNames
{
    public static string Of<T>(T value)
        where T : struct, Enum => Table<T>.NameOf(value);

    /// <summary>Reads <typeparamref name="T"/>'s names now (<see cref="Warmup"/> does it off the critical path).</summary>
    public static void Prepare<T>()
        where T : struct, Enum => Table<T>.NameOf(default);

    /// <summary>
    /// One reflection pass per enum type, on first use, then a lookup without locks or boxing: a run
    /// names a dozen enum values, and a short-lived process (the CLI) pays for every first time.
    /// </summary>
    private static class Table<T>
        where T : struct, Enum
    {
        private static readonly Dictionary<long, string> Names = Build();

        public static string NameOf(T value) => Names.TryGetValue(Key(value), out string? name) ? name : value.ToString();

        private static Dictionary<long, string> Build()
        {
            var names = new Dictionary<long, string>();
            foreach (FieldInfo field in typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                // The first member declared for a value names it, as Enum.ToString does for aliases.
                names.TryAdd(Key((T)field.GetValue(null)!), field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name);
            }

            return names;
        }

        private static long Key(T value) => Unsafe.SizeOf<T>() switch
        {
            1 => Unsafe.As<T, byte>(ref value),
            2 => Unsafe.As<T, short>(ref value),
            4 => Unsafe.As<T, int>(ref value),
            _ => Unsafe.As<T, long>(ref value),
        };
    }
}
