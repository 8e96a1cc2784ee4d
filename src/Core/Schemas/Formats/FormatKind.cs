namespace Orchestrator.Core.Schemas.Formats;

/// <summary>The values of the <c>format</c> keyword this validator checks.</summary>
internal enum FormatKind
{
    None,
    DateTime,
    Uri,
    Uuid,
}
