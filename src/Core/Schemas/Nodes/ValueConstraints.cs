using System.Text.Json;
using Orchestrator.Core.Schemas.Validation;
using Orchestrator.Core.Schemas.Values;

namespace Orchestrator.Core.Schemas.Nodes;

/// <summary>The keywords that apply to every kind of instance: <c>type</c>, <c>enum</c> and <c>const</c>.</summary>
internal sealed class ValueConstraints(string location)
{
    public TypeSet Types;
    public string? TypeDescription;
    public JsonElement[]? EnumValues;
    public JsonElement? ConstValue;

    public bool Evaluate(JsonElement instance, InstanceLocation? at, ErrorSink? sink)
    {
        bool valid = true;
        if (Types != TypeSet.None && !MatchesType(instance))
        {
            if (sink is null) return false;
            valid = false;
            if (sink.Add(at, location, "/type", $"expected {TypeDescription} but found {JsonValues.DescribeType(instance)}")) return false;
        }

        if (EnumValues is not null && !JsonValues.ContainsEqual(EnumValues, instance))
        {
            if (sink is null) return false;
            valid = false;
            string allowedValues = string.Join(", ", EnumValues.Take(10).Select(v => JsonValues.Abbreviate(v)));
            if (EnumValues.Length > 10) allowedValues += ", ...";
            if (sink.Add(at, location, "/enum", $"{JsonValues.Abbreviate(instance)} is not one of the allowed values: {allowedValues}")) return false;
        }

        if (ConstValue is JsonElement constant && !JsonValues.SafeDeepEquals(constant, instance))
        {
            if (sink is null) return false;
            valid = false;
            if (sink.Add(at, location, "/const", $"expected {JsonValues.Abbreviate(constant)} but found {JsonValues.Abbreviate(instance)}")) return false;
        }

        return valid;
    }

    private bool MatchesType(JsonElement instance)
    {
        TypeSet actual = instance.ValueKind switch
        {
            JsonValueKind.Null => TypeSet.Null,
            JsonValueKind.True or JsonValueKind.False => TypeSet.Boolean,
            JsonValueKind.Object => TypeSet.Object,
            JsonValueKind.Array => TypeSet.Array,
            JsonValueKind.String => TypeSet.String,
            JsonValueKind.Number => TypeSet.Number,
            _ => TypeSet.None,
        };
        if ((Types & actual) != 0) return true;
        return actual == TypeSet.Number && (Types & TypeSet.Integer) != 0 && JsonValues.IsIntegral(instance);
    }
}
