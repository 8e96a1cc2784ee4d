using System.Runtime.InteropServices;
using System.Text.Json;
using Orchestrator.Core.Schemas.Validation;
using Orchestrator.Core.Schemas.Values;

namespace Orchestrator.Core.Schemas.Nodes;

/// <summary>The keywords that constrain numbers: <c>minimum maximum exclusiveMinimum exclusiveMaximum multipleOf</c>.</summary>
internal sealed class NumberConstraints(string location)
{
    public ExactNumber? Minimum;
    public ExactNumber? Maximum;
    public ExactNumber? ExclusiveMinimum;
    public ExactNumber? ExclusiveMaximum;
    public ExactNumber? MultipleOf;

    public bool Evaluate(JsonElement instance, InstanceLocation? at, ErrorSink? sink)
    {
        if (Minimum is null && Maximum is null && ExclusiveMinimum is null && ExclusiveMaximum is null && MultipleOf is null)
        {
            return true;
        }

        // Most numbers in our documents are plain integers: compare those as longs and parse exactly only otherwise.
        long? fast = instance.TryGetInt64(out long asLong) ? asLong : null;
        ExactNumber? exact = null;
        ExactNumber Exact() => exact ??= ExactNumber.Parse(JsonMarshal.GetRawUtf8Value(instance));
        int CompareTo(ExactNumber limit) => fast is long v && limit.Int64 is long w ? v.CompareTo(w) : Exact().CompareTo(limit);
        string Text() => instance.GetRawText();

        bool valid = true;
        if (Minimum is not null && CompareTo(Minimum) < 0)
        {
            if (sink is null) return false;
            valid = false;
            if (sink.Add(at, location, "/minimum", $"{Text()} is less than the minimum of {Minimum.Text}")) return false;
        }

        if (ExclusiveMinimum is not null && CompareTo(ExclusiveMinimum) <= 0)
        {
            if (sink is null) return false;
            valid = false;
            if (sink.Add(at, location, "/exclusiveMinimum", $"{Text()} must be greater than {ExclusiveMinimum.Text}")) return false;
        }

        if (Maximum is not null && CompareTo(Maximum) > 0)
        {
            if (sink is null) return false;
            valid = false;
            if (sink.Add(at, location, "/maximum", $"{Text()} is greater than the maximum of {Maximum.Text}")) return false;
        }

        if (ExclusiveMaximum is not null && CompareTo(ExclusiveMaximum) >= 0)
        {
            if (sink is null) return false;
            valid = false;
            if (sink.Add(at, location, "/exclusiveMaximum", $"{Text()} must be less than {ExclusiveMaximum.Text}")) return false;
        }

        if (MultipleOf is not null && !(fast is long n && MultipleOf.Int64 is long d ? n % d == 0 : Exact().IsMultipleOf(MultipleOf)))
        {
            if (sink is null) return false;
            valid = false;
            if (sink.Add(at, location, "/multipleOf", $"{Text()} is not a multiple of {MultipleOf.Text}")) return false;
        }

        return valid;
    }
}
