using System.Runtime.CompilerServices;
using System.Text.Json;
using Orchestrator.Core.Schemas.Validation;

namespace Orchestrator.Core.Schemas.Nodes;

/// <summary>
/// One compiled schema. Its keywords are grouped by the kind of instance they constrain, and a group exists only
/// when the schema uses one of its keywords, so most nodes skip most checks without looking at them.
/// </summary>
/// <remarks>
/// Fields are assigned only while compiling and then never change, which is what makes concurrent validation
/// safe without locks.
/// </remarks>
internal sealed class SchemaNode(string location)
{
    /// <summary>Where the schema is, as reported in errors: <c>#/$defs/x</c>, or <c>other.json#/$defs/x</c> in a companion document.</summary>
    public string Location { get; } = location;

    public bool? BooleanSchema;
    public SchemaNode? Ref;
    public ValueConstraints? Values;
    public NumberConstraints? Numbers;
    public StringConstraints? Strings;
    public ArrayConstraints? Arrays;
    public ObjectConstraints? Objects;
    public ApplicatorConstraints? Applicators;

    public bool IsFalse => BooleanSchema == false;

    /// <summary>Subschemas applied to the same instance; a cycle through these would never terminate.</summary>
    public IEnumerable<SchemaNode> InPlaceSubschemas()
    {
        if (Ref is not null) yield return Ref;
        foreach (var node in Applicators?.InPlaceSubschemas() ?? [])
        {
            yield return node;
        }
    }

    /// <summary>
    /// Checks <paramref name="instance"/>. With a <paramref name="sink"/> every failure is recorded; without one
    /// (used by anyOf/oneOf/not/if, which only need a yes or no) evaluation stops at the first failure.
    /// </summary>
    public bool Evaluate(JsonElement instance, InstanceLocation? at, ErrorSink? sink)
    {
        if (BooleanSchema is bool allowed)
        {
            if (!allowed)
            {
                sink?.Add(at, Location, "", "no value is allowed here (the schema is false)");
            }

            return allowed;
        }

        // Deep instances or long $ref chains must not crash the process with a stack overflow.
        RuntimeHelpers.EnsureSufficientExecutionStack();
        bool valid = true;

        if (Ref is not null && !Ref.Evaluate(instance, at, sink))
        {
            valid = false;
            if (ErrorSink.ShouldStop(sink)) return false;
        }

        if (Values is not null && !Values.Evaluate(instance, at, sink))
        {
            valid = false;
            if (ErrorSink.ShouldStop(sink)) return false;
        }

        bool kindValid = instance.ValueKind switch
        {
            JsonValueKind.Number => Numbers?.Evaluate(instance, at, sink) ?? true,
            JsonValueKind.String => Strings?.Evaluate(instance, at, sink) ?? true,
            JsonValueKind.Array => Arrays?.Evaluate(instance, at, sink) ?? true,
            JsonValueKind.Object => Objects?.Evaluate(instance, at, sink) ?? true,
            _ => true,
        };
        if (!kindValid)
        {
            valid = false;
            if (ErrorSink.ShouldStop(sink)) return false;
        }

        return (Applicators?.Evaluate(instance, at, sink) ?? true) && valid;
    }
}
