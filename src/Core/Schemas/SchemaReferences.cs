using System.Text.Json;

namespace Orchestrator.Core.Schemas;

/// <summary>
/// Checks, when schemas load, that every <c>$ref</c> names a schema that was given and a location that
/// exists in it. The library resolves references only when evaluation reaches them, so a typo in a
/// rarely used branch would otherwise surface as an exception in the middle of a <c>verify</c>.
/// </summary>
internal static class SchemaReferences
{
    /// <summary>Throws <see cref="SchemaLoadException"/> naming the first reference that resolves to nothing.</summary>
    public static void CheckAll(IReadOnlyList<JsonElement> documents)
    {
        var byId = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            if (IdOf(document) is { } id)
            {
                byId[id.GetLeftPart(UriPartial.Query)] = document;
            }
        }

        foreach (var document in documents)
        {
            Uri? baseUri = IdOf(document);
            Walk(document, reference => Check(reference, baseUri, document, byId));
        }
    }

    private static Uri? IdOf(JsonElement document) =>
        document.ValueKind == JsonValueKind.Object &&
        document.TryGetProperty("$id", out var id) && id.ValueKind == JsonValueKind.String &&
        Uri.TryCreate(id.GetString(), UriKind.Absolute, out var uri)
            ? uri
            : null;

    private static void Walk(JsonElement element, Action<string> onReference)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "$ref" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        onReference(property.Value.GetString()!);
                    }
                    else
                    {
                        Walk(property.Value, onReference);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, onReference);
                }

                break;
        }
    }

    private static void Check(string reference, Uri? baseUri, JsonElement own, Dictionary<string, JsonElement> byId)
    {
        JsonElement target;
        string fragment;
        if (reference.StartsWith('#'))
        {
            target = own;
            fragment = reference[1..];
        }
        else
        {
            if (!Uri.TryCreate(baseUri, reference, out var absolute) && !Uri.TryCreate(reference, UriKind.Absolute, out absolute))
            {
                throw new SchemaLoadException($"The $ref \"{reference}\" cannot be resolved: the schema has no absolute $id to resolve it against.");
            }

            string document = absolute.GetLeftPart(UriPartial.Query);
            if (!byId.TryGetValue(document, out target))
            {
                throw new SchemaLoadException($"The $ref \"{reference}\" names {document}, which is not one of the schemas given.");
            }

            fragment = Uri.UnescapeDataString(absolute.Fragment.TrimStart('#'));
        }

        if (fragment.Length > 0 && (!fragment.StartsWith('/') || !Resolve(target, fragment)))
        {
            throw new SchemaLoadException($"The $ref \"{reference}\" names a location that does not exist.");
        }
    }

    private static bool Resolve(JsonElement element, string pointer)
    {
        foreach (string raw in pointer[1..].Split('/'))
        {
            string token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(token, out var child))
            {
                element = child;
            }
            else if (element.ValueKind == JsonValueKind.Array && int.TryParse(token, out int index) && index >= 0 && index < element.GetArrayLength())
            {
                element = element[index];
            }
            else
            {
                return false;
            }
        }

        return true;
    }
}
