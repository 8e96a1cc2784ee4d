namespace Orchestrator.Core.Schemas;

/// <summary>A schema given to <see cref="JsonSchemaValidator"/> is not valid JSON Schema, or one of its <c>$ref</c>s names nothing it was given.</summary>
public sealed class SchemaLoadException : Exception
{
    /// <summary>Creates the exception with a message naming the problem.</summary>
    public SchemaLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message naming the problem and the library's own exception.</summary>
    public SchemaLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
