namespace Orchestrator.Core.Schemas;

/// <summary>One reason an instance does not satisfy a schema.</summary>
/// <param name="InstancePath">JSON Pointer to the offending value, for example <c>/commands/0/exitCode</c>; empty for the root.</param>
/// <param name="SchemaPath">
/// Where the failing keyword lives in the schema document, for example
/// <c>#/properties/commands/items/properties/exitCode/type</c>. Errors found through a <c>$ref</c> point at the
/// referenced location (such as <c>#/$defs/command/...</c>), which is where the keyword can be read and fixed.
/// A location in a companion schema is prefixed with that document's URI relative to the schema validated against,
/// for example <c>manifest.json#/$defs/streamCapture/properties/text/type</c>.
/// </param>
/// <param name="Message">Human-readable description from the validator, for example <c>Value is "string" but should be "integer"</c>.</param>
public sealed record JsonSchemaError(string InstancePath, string SchemaPath, string Message)
{
    public override string ToString() =>
        $"{(InstancePath.Length == 0 ? "(root)" : InstancePath)}: {Message} [{SchemaPath}]";
}
