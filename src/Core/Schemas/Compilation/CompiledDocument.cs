using Orchestrator.Core.Schemas.Nodes;

namespace Orchestrator.Core.Schemas.Compilation;

/// <summary>The nodes compiled from one <see cref="SchemaDocument"/>, indexed by location for <c>$ref</c> lookups.</summary>
internal sealed class CompiledDocument(SchemaDocument source, string name)
{
    public SchemaDocument Source { get; } = source;

    /// <summary>
    /// How locations name the document: empty for the schema being validated against (so its locations read
    /// <c>#/...</c>), otherwise its URI relative to that schema's, such as <c>manifest.json</c>.
    /// </summary>
    public string Name { get; } = name;

    public string RootLocation => Name + "#";

    public Dictionary<string, SchemaNode> Nodes { get; } = new(StringComparer.Ordinal);

    public SchemaNode Root => Nodes[RootLocation];
}
