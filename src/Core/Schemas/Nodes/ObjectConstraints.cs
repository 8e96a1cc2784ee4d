using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestrator.Core.Schemas.Validation;
using Orchestrator.Core.Schemas.Values;

namespace Orchestrator.Core.Schemas.Nodes;

/// <summary>
/// The keywords that constrain objects: <c>minProperties maxProperties required dependentRequired properties
/// patternProperties additionalProperties propertyNames</c>. The property keywords live together because
/// additionalProperties depends on which names the other two matched.
/// </summary>
internal sealed class ObjectConstraints(string location)
{
    public long? MinProperties;
    public long? MaxProperties;
    public string[]? Required;
    public (string Property, string[] Requires)[]? DependentRequired;
    public Dictionary<string, SchemaNode>? Properties;
    public (Regex Regex, SchemaNode Schema)[]? PatternProperties;
    public SchemaNode? AdditionalProperties;
    public SchemaNode? PropertyNames;

    public bool Evaluate(JsonElement instance, InstanceLocation? at, ErrorSink? sink)
    {
        bool valid = true;
        if (MinProperties is not null || MaxProperties is not null)
        {
            int count = instance.GetPropertyCount();
            if (count < MinProperties)
            {
                if (sink is null) return false;
                valid = false;
                if (sink.Add(at, location, "/minProperties", $"object has {count} properties but must have at least {MinProperties}")) return false;
            }

            if (count > MaxProperties)
            {
                if (sink is null) return false;
                valid = false;
                if (sink.Add(at, location, "/maxProperties", $"object has {count} properties but must have at most {MaxProperties}")) return false;
            }
        }

        foreach (string name in Required ?? [])
        {
            if (!JsonValues.HasProperty(instance, name))
            {
                if (sink is null) return false;
                valid = false;
                if (sink.Add(at, location, "/required", $"missing required property \"{name}\"")) return false;
            }
        }

        foreach (var (trigger, requires) in DependentRequired ?? [])
        {
            if (!JsonValues.HasProperty(instance, trigger)) continue;
            foreach (string name in requires)
            {
                if (!JsonValues.HasProperty(instance, name))
                {
                    if (sink is null) return false;
                    valid = false;
                    string keyword = "/dependentRequired/" + JsonPointer.Escape(trigger);
                    if (sink.Add(at, location, keyword, $"property \"{name}\" is required when \"{trigger}\" is present")) return false;
                }
            }
        }

        if (Properties is null && PatternProperties is null && AdditionalProperties is null && PropertyNames is null)
        {
            return valid;
        }

        foreach (var property in instance.EnumerateObject())
        {
            if (!JsonValues.TryGetName(property, out string name))
            {
                if (sink is null) return false;
                valid = false;
                if (sink.Add(at, location, "", "a property name cannot be decoded (it contains an unpaired UTF-16 surrogate escape)")) return false;
                continue;
            }

            if (!EvaluateProperty(property.Value, name, new InstanceLocation(at, name), sink))
            {
                valid = false;
                if (ErrorSink.ShouldStop(sink)) return false;
            }
        }

        return valid;
    }

    private bool EvaluateProperty(JsonElement value, string name, InstanceLocation propertyAt, ErrorSink? sink)
    {
        bool valid = true;
        bool matched = false;
        if (Properties is not null && Properties.TryGetValue(name, out var propertySchema))
        {
            matched = true;
            if (!propertySchema.Evaluate(value, propertyAt, sink))
            {
                valid = false;
                if (ErrorSink.ShouldStop(sink)) return false;
            }
        }

        foreach (var (regex, schema) in PatternProperties ?? [])
        {
            bool? isMatch = PatternMatch.TryMatch(regex, name);
            if (isMatch is false) continue;
            matched = true;
            if (isMatch is null)
            {
                if (sink is null) return false;
                valid = false;
                if (sink.Add(propertyAt, schema.Location, "", $"matching the property name against {regex} took too long")) return false;
            }
            else if (!schema.Evaluate(value, propertyAt, sink))
            {
                valid = false;
                if (ErrorSink.ShouldStop(sink)) return false;
            }
        }

        if (!matched && AdditionalProperties is not null)
        {
            if (AdditionalProperties.IsFalse)
            {
                if (sink is null) return false;
                valid = false;
                if (sink.Add(propertyAt, location, "/additionalProperties", $"property \"{name}\" is not allowed")) return false;
            }
            else if (!AdditionalProperties.Evaluate(value, propertyAt, sink))
            {
                valid = false;
                if (ErrorSink.ShouldStop(sink)) return false;
            }
        }

        if (PropertyNames is not null && !PropertyNames.Evaluate(JsonValues.ToJsonString(name), propertyAt, sink))
        {
            valid = false;
        }

        return valid;
    }
}
