using System.Text.Json;
using Orchestrator.Core.Schemas.Validation;
using Orchestrator.Core.Schemas.Values;

namespace Orchestrator.Core.Schemas.Nodes;

/// <summary>The keywords that constrain arrays: <c>minItems maxItems uniqueItems prefixItems items</c>.</summary>
internal sealed class ArrayConstraints(string location)
{
    public long? MinItems;
    public long? MaxItems;
    public bool UniqueItems;
    public SchemaNode[]? PrefixItems;
    public SchemaNode? Items;

    public bool Evaluate(JsonElement instance, InstanceLocation? at, ErrorSink? sink)
    {
        if (MinItems is null && MaxItems is null && !UniqueItems && PrefixItems is null && Items is null)
        {
            return true;
        }

        bool valid = true;
        int count = instance.GetArrayLength();
        if (count < MinItems)
        {
            if (sink is null) return false;
            valid = false;
            if (sink.Add(at, location, "/minItems", $"array has {count} items but must have at least {MinItems}")) return false;
        }

        if (count > MaxItems)
        {
            if (sink is null) return false;
            valid = false;
            if (sink.Add(at, location, "/maxItems", $"array has {count} items but must have at most {MaxItems}")) return false;
        }

        if (PrefixItems is not null || Items is not null)
        {
            int index = 0;
            foreach (var item in instance.EnumerateArray())
            {
                SchemaNode? schema = PrefixItems is not null && index < PrefixItems.Length ? PrefixItems[index] : Items;
                if (schema is null) break;
                if (schema.IsFalse)
                {
                    // One error for the array reads better than one "not allowed" per surplus item.
                    if (sink is null) return false;
                    valid = false;
                    if (sink.Add(at, location, "/items", $"array has {count} items but at most {index} are allowed")) return false;
                    break;
                }

                if (!schema.Evaluate(item, new InstanceLocation(at, index), sink))
                {
                    valid = false;
                    if (ErrorSink.ShouldStop(sink)) return false;
                }

                index++;
            }
        }

        if (UniqueItems && count > 1 && FindDuplicate(instance) is (int first, int second))
        {
            if (sink is null) return false;
            valid = false;
            if (sink.Add(at, location, "/uniqueItems", $"items {first} and {second} are equal but items must be unique")) return false;
        }

        return valid;
    }

    private static (int First, int Second)? FindDuplicate(JsonElement array)
    {
        var seen = new Dictionary<JsonElement, int>(JsonValueComparer.Instance);
        int index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (!seen.TryAdd(item, index)) return (seen[item], index);
            index++;
        }

        return null;
    }
}
