namespace Orchestrator.Core.Schemas.Nodes;

/// <summary>The JSON types a <c>type</c> keyword allows, as flags so that a list of types is one value.</summary>
[Flags]
internal enum TypeSet
{
    None = 0,
    Null = 1,
    Boolean = 2,
    Object = 4,
    Array = 8,
    Number = 16,
    String = 32,
    Integer = 64,
}
