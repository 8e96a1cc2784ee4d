using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Orchestrator.Core.Schemas.Values;

/// <summary>
/// Reads and describes instance values. System.Text.Json throws <see cref="InvalidOperationException"/> when text
/// holds an escaped lone surrogate ("\ud800"); such input must produce a validation error, not escape from
/// Validate as an exception, so every decoding read goes through here.
/// </summary>
internal static class JsonValues
{
    public static bool SafeDeepEquals(JsonElement left, JsonElement right)
    {
        try
        {
            return JsonElement.DeepEquals(left, right);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public static bool ContainsEqual(JsonElement[] candidates, JsonElement instance)
    {
        foreach (var candidate in candidates)
        {
            if (SafeDeepEquals(candidate, instance)) return true;
        }

        return false;
    }

    public static bool TryGetString(JsonElement element, out string value)
    {
        try
        {
            value = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = "";
            return false;
        }
    }

    public static bool TryGetName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }

    public static bool HasProperty(JsonElement instance, string name)
    {
        try
        {
            return instance.TryGetProperty(name, out _);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public static bool IsIntegral(JsonElement number) =>
        number.TryGetInt64(out _) || ExactNumber.Parse(JsonMarshal.GetRawUtf8Value(number)).IsInteger;

    public static string DescribeType(JsonElement instance) => instance.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => IsIntegral(instance) ? "integer" : "number",
        _ => instance.ValueKind.ToString(),
    };

    /// <summary>The value's JSON text, shortened so that one huge value cannot swamp an error message.</summary>
    public static string Abbreviate(JsonElement value)
    {
        const int MaxLength = 60;
        string text = value.GetRawText();
        return text.Length <= MaxLength ? text : text[..(MaxLength - 3)] + "...";
    }

    /// <summary>A JSON string element holding <paramref name="value"/>, so property names can be validated like values.</summary>
    public static JsonElement ToJsonString(string value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(value);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
