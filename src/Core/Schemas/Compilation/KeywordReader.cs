using System.Runtime.InteropServices;
using System.Text.Json;
using Orchestrator.Core.Schemas.Nodes;
using Orchestrator.Core.Schemas.Values;

namespace Orchestrator.Core.Schemas.Compilation;

/// <summary>Reads keyword values of the shape the specification requires, rejecting any other shape.</summary>
internal static class KeywordReader
{
    public static JsonSchemaException Fail(string path, string message, Exception? inner = null) =>
        new($"Invalid schema at {path}: {message}", path, inner);

    public static JsonElement RequireKind(JsonElement value, JsonValueKind kind, string path) =>
        value.ValueKind == kind ? value : throw Fail(path, $"must be {Describe(kind)}, not {Describe(value.ValueKind)}");

    public static string RequireString(JsonElement value, string path) =>
        RequireKind(value, JsonValueKind.String, path).GetString()!;

    public static bool RequireBoolean(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Fail(path, $"must be a boolean, not {Describe(value.ValueKind)}"),
    };

    public static ExactNumber RequireNumber(JsonElement value, string path) =>
        ExactNumber.Parse(JsonMarshal.GetRawUtf8Value(RequireKind(value, JsonValueKind.Number, path)));

    public static long RequireCount(JsonElement value, string path)
    {
        var number = RequireNumber(value, path);
        if (!number.IsInteger || number.Sign < 0) throw Fail(path, $"must be a non-negative integer, not {number.Text}");
        // A limit beyond long.MaxValue cannot be reached by any real document, so saturating is exact in effect.
        return number.Int64 ?? (value.TryGetDouble(out double d) && d < 9e18 ? (long)d : long.MaxValue);
    }

    public static string[] RequireUniqueStrings(JsonElement value, string path)
    {
        var items = RequireKind(value, JsonValueKind.Array, path)
            .EnumerateArray()
            .Select((item, i) => RequireString(item, $"{path}/{i}"))
            .ToArray();
        var duplicate = items.GroupBy(s => s, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? items : throw Fail(path, $"\"{duplicate.Key}\" is listed twice");
    }

    /// <summary>Reads <c>type</c>, with the description error messages use ("integer or null").</summary>
    public static (TypeSet Types, string Description) RequireTypes(JsonElement value, string path)
    {
        List<string> names = value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array => value.EnumerateArray().Select((item, i) => RequireString(item, $"{path}/{i}")).ToList(),
            _ => throw Fail(path, $"must be a string or an array of strings, not {Describe(value.ValueKind)}"),
        };
        if (names.Count == 0) throw Fail(path, "must name at least one type");

        var types = TypeSet.None;
        foreach (string name in names)
        {
            TypeSet type = name switch
            {
                "null" => TypeSet.Null,
                "boolean" => TypeSet.Boolean,
                "object" => TypeSet.Object,
                "array" => TypeSet.Array,
                "number" => TypeSet.Number,
                "string" => TypeSet.String,
                "integer" => TypeSet.Integer,
                _ => throw Fail(path, $"unknown type \"{name}\""),
            };
            if ((types & type) != 0) throw Fail(path, $"type \"{name}\" is listed twice");
            types |= type;
        }

        string description = names.Count == 1
            ? names[0]
            : string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1];
        return (types, description);
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
