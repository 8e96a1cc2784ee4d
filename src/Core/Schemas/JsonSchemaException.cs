namespace Orchestrator.Core.Schemas;

/// <summary>
/// Thrown when a JSON Schema cannot be loaded: it is not valid JSON, uses a keyword this validator does not
/// implement, has a malformed keyword value, or contains a <c>$ref</c> that cannot be resolved.
/// </summary>
/// <remarks>
/// The validator refuses such schemas instead of skipping the parts it does not understand, because a skipped
/// keyword would make invalid documents pass silently.
/// </remarks>
public sealed class JsonSchemaException : Exception
{
    public JsonSchemaException()
    {
    }

    public JsonSchemaException(string message)
        : base(message)
    {
    }

    public JsonSchemaException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public JsonSchemaException(string message, string? schemaPath, Exception? innerException = null)
        : base(message, innerException)
    {
        SchemaPath = schemaPath;
    }

    /// <summary>Where in the schema the problem is (for example <c>#/properties/id/minLength</c>), when known.</summary>
    public string? SchemaPath { get; }
}
