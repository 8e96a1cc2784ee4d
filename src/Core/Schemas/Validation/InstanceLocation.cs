using System.Globalization;
using System.Text;
using Orchestrator.Core.Schemas.Values;

namespace Orchestrator.Core.Schemas.Validation;

/// <summary>
/// Where in the instance evaluation is, as a parent-linked chain: cheap to extend while descending, and turned
/// into a JSON Pointer string only when an error is reported.
/// </summary>
internal sealed class InstanceLocation
{
    private readonly InstanceLocation? _parent;
    private readonly string? _name;
    private readonly int _index;

    public InstanceLocation(InstanceLocation? parent, string name)
    {
        _parent = parent;
        _name = name;
    }

    public InstanceLocation(InstanceLocation? parent, int index)
    {
        _parent = parent;
        _index = index;
    }

    public static string ToPointer(InstanceLocation? location)
    {
        if (location is null) return "";
        var segments = new Stack<InstanceLocation>();
        for (var current = location; current is not null; current = current._parent)
        {
            segments.Push(current);
        }

        var pointer = new StringBuilder();
        foreach (var segment in segments)
        {
            pointer.Append('/').Append(segment._name is null
                ? segment._index.ToString(CultureInfo.InvariantCulture)
                : JsonPointer.Escape(segment._name));
        }

        return pointer.ToString();
    }
}
