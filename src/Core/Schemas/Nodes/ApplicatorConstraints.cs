using System.Globalization;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Schemas.Validation;

namespace Orchestrator.Core.Schemas.Nodes;

/// <summary>The keywords that apply subschemas to the same instance: <c>allOf anyOf oneOf not if then else</c>.</summary>
internal sealed class ApplicatorConstraints(string location)
{
    public SchemaNode[]? AllOf;
    public SchemaNode[]? AnyOf;
    public SchemaNode[]? OneOf;
    public SchemaNode? Not;
    public SchemaNode? If;
    public SchemaNode? Then;
    public SchemaNode? Else;

    public IEnumerable<SchemaNode> InPlaceSubschemas()
    {
        foreach (var group in new[] { AllOf, AnyOf, OneOf })
        {
            foreach (var node in group ?? [])
            {
                yield return node;
            }
        }

        foreach (var node in new[] { Not, If, Then, Else })
        {
            if (node is not null) yield return node;
        }
    }

    public bool Evaluate(JsonElement instance, InstanceLocation? at, ErrorSink? sink)
    {
        bool valid = true;
        foreach (var schema in AllOf ?? [])
        {
            if (!schema.Evaluate(instance, at, sink))
            {
                valid = false;
                if (ErrorSink.ShouldStop(sink)) return false;
            }
        }

        if (AnyOf is not null && !AnyMatches(AnyOf, instance, at))
        {
            if (sink is null) return false;
            valid = false;
            if (sink.Add(at, location, "/anyOf", DescribeNoMatch("anyOf", AnyOf, instance, at))) return false;
        }

        if (OneOf is not null)
        {
            var matches = new List<int>(2);
            for (int i = 0; i < OneOf.Length && (sink is not null || matches.Count < 2); i++)
            {
                if (OneOf[i].Evaluate(instance, at, null)) matches.Add(i);
            }

            if (matches.Count != 1)
            {
                if (sink is null) return false;
                valid = false;
                string message = matches.Count == 0
                    ? DescribeNoMatch("oneOf", OneOf, instance, at)
                    : $"value matches {matches.Count} schemas in oneOf (indexes {string.Join(", ", matches)}) but must match exactly one";
                if (sink.Add(at, location, "/oneOf", message)) return false;
            }
        }

        if (Not is not null && Not.Evaluate(instance, at, null))
        {
            if (sink is null) return false;
            valid = false;
            if (sink.Add(at, location, "/not", "value must not match the schema in \"not\"")) return false;
        }

        if (If is not null)
        {
            SchemaNode? branch = If.Evaluate(instance, at, null) ? Then : Else;
            if (branch is not null && !branch.Evaluate(instance, at, sink))
            {
                valid = false;
            }
        }

        return valid;
    }

    // A loop rather than LINQ: a lambda capturing the instance would allocate on every evaluation of this node.
    private static bool AnyMatches(SchemaNode[] alternatives, JsonElement instance, InstanceLocation? at)
    {
        foreach (var alternative in alternatives)
        {
            if (alternative.Evaluate(instance, at, null)) return true;
        }

        return false;
    }

    // Names the first problem with each alternative, so the reader sees why none of them fit.
    private static string DescribeNoMatch(string keyword, SchemaNode[] alternatives, JsonElement instance, InstanceLocation? at)
    {
        const int MaxDescribed = 5;
        var text = new StringBuilder($"value does not match any of the {alternatives.Length} schemas in {keyword}");
        string here = InstanceLocation.ToPointer(at);
        for (int i = 0; i < alternatives.Length && i < MaxDescribed; i++)
        {
            var probe = new ErrorSink(1);
            alternatives[i].Evaluate(instance, at, probe);
            if (probe.First is not { } error) continue;
            text.Append(i == 0 ? ": " : "; ").Append('[').Append(i.ToString(CultureInfo.InvariantCulture)).Append("] ");
            if (error.InstancePath != here) text.Append(error.InstancePath).Append(": ");
            text.Append(error.Message);
        }

        if (alternatives.Length > MaxDescribed) text.Append("; ...");
        return text.ToString();
    }
}
