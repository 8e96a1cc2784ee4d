using System.Text.Json;

namespace Orchestrator.Core.Schemas.Values;

/// <summary>JSON equality (numbers by value, objects ignoring member order) with a hash consistent with it.</summary>
internal sealed class JsonValueComparer : IEqualityComparer<JsonElement>
{
    public static readonly JsonValueComparer Instance = new();

    private JsonValueComparer()
    {
    }

    public bool Equals(JsonElement x, JsonElement y) => JsonValues.SafeDeepEquals(x, y);

    public int GetHashCode(JsonElement value)
    {
        try
        {
            return Hash(value, deep: true);
        }
        catch (InvalidOperationException)
        {
            // Undecodable text (an escaped lone surrogate); equality still decides, the hash only buckets.
            return (int)value.ValueKind;
        }
    }

    // Equal numbers convert to the same double, so hashing the double agrees with numeric equality (1 == 1.0).
    private static int Hash(JsonElement value, bool deep)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return StringComparer.Ordinal.GetHashCode(value.GetString()!);

            case JsonValueKind.Number:
                return value.TryGetDouble(out double d) && d != 0 ? d.GetHashCode() : 0;
            case JsonValueKind.Array:
                int arrayHash = HashCode.Combine(JsonValueKind.Array, value.GetArrayLength());
                if (!deep) return arrayHash;
                foreach (var item in value.EnumerateArray().Take(4))
                {
                    arrayHash = HashCode.Combine(arrayHash, Hash(item, deep: false));
                }

                return arrayHash;
            case JsonValueKind.Object:
                int objectHash = HashCode.Combine(JsonValueKind.Object, value.GetPropertyCount());
                if (!deep) return objectHash;
                foreach (var property in value.EnumerateObject())
                {
                    // Summing keeps the hash independent of member order, as equality is.
                    objectHash += HashCode.Combine(StringComparer.Ordinal.GetHashCode(property.Name), Hash(property.Value, deep: false));
                }

                return objectHash;
            default:
                return (int)value.ValueKind;
        }
    }
}
