using System.Text.Json;
using Orchestrator.Core.Schemas.Compilation;
using Orchestrator.Core.Schemas.Nodes;
using Orchestrator.Core.Schemas.Validation;

namespace Orchestrator.Core.Schemas;

/// <summary>
/// Validates JSON documents against a JSON Schema (a draft 2020-12 subset) without third-party packages.
/// </summary>
/// <remarks>
/// <para>
/// The schema is compiled once into a tree of nodes; validation walks that tree and the instance only, so one
/// validator can check many documents (and large ones) quickly. Instances are immutable after construction and
/// <see cref="Validate(JsonElement)"/> may be called from several threads at once.
/// </para>
/// <para>
/// Supported keywords: <c>type enum const properties required additionalProperties patternProperties
/// propertyNames items prefixItems minItems maxItems uniqueItems minLength maxLength pattern minimum maximum
/// exclusiveMinimum exclusiveMaximum multipleOf minProperties maxProperties allOf anyOf oneOf not if then else
/// dependentRequired $ref $defs definitions format</c> (<c>date-time</c>, <c>uri</c>, <c>uuid</c>) and boolean
/// schemas. Annotation keywords (<c>$schema $id title description $comment examples default deprecated readOnly
/// writeOnly</c>) are ignored. Anything else makes loading throw <see cref="JsonSchemaException"/>, because
/// skipping a keyword would let invalid documents pass unnoticed.
/// </para>
/// <para>
/// A <c>$ref</c> is a URI reference resolved against the base URI of its document: the root <c>$id</c>, or for a
/// file without one, the file's <c>file://</c> URI. It may name another schema given to the validator as a
/// companion (found by that URI) and must then use a JSON Pointer fragment, as in
/// <c>"manifest.json#/$defs/streamCapture"</c>. <c>$id</c> below the root and anchors are refused.
/// </para>
/// </remarks>
public sealed class JsonSchemaValidator
{
    /// <summary>Validation stops collecting after this many errors; beyond that more detail rarely helps.</summary>
    public const int MaxErrors = 100;

    private readonly SchemaNode _root;

    private JsonSchemaValidator(SchemaNode root) => _root = root;

    /// <summary>Reads and compiles the schema file at <paramref name="schemaPath"/>.</summary>
    /// <exception cref="JsonSchemaException">The file is not a schema this validator can enforce.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static JsonSchemaValidator Load(string schemaPath) => Load(schemaPath, []);

    /// <summary>
    /// Reads and compiles the schema file at <paramref name="schemaPath"/>, resolving its <c>$ref</c>s into the
    /// schemas at <paramref name="companionSchemaPaths"/> as well as into itself.
    /// </summary>
    /// <param name="schemaPath">The schema instances will be validated against.</param>
    /// <param name="companionSchemaPaths">
    /// Schemas that may be referred to, by their <c>$id</c> (or their file's URI when they have none). Listing
    /// <paramref name="schemaPath"/> again is harmless. Companions nothing refers to are read but not compiled.
    /// </param>
    /// <exception cref="JsonSchemaException">
    /// A schema is not one this validator can enforce, two schemas share a URI, or a <c>$ref</c> names a document
    /// or location that does not exist. The message names the file.
    /// </exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static JsonSchemaValidator Load(string schemaPath, IEnumerable<string> companionSchemaPaths)
    {
        ArgumentException.ThrowIfNullOrEmpty(schemaPath);
        ArgumentNullException.ThrowIfNull(companionSchemaPaths);

        var primary = SchemaDocument.Load(schemaPath);
        var loaded = new HashSet<string>(StringComparer.Ordinal) { Path.GetFullPath(schemaPath) };
        var companions = new List<SchemaDocument>();
        foreach (string companionPath in companionSchemaPaths)
        {
            if (string.IsNullOrEmpty(companionPath))
            {
                throw new ArgumentException("A companion schema path is null or empty.", nameof(companionSchemaPaths));
            }

            if (loaded.Add(Path.GetFullPath(companionPath)))
            {
                companions.Add(SchemaDocument.Load(companionPath));
            }
        }

        return new JsonSchemaValidator(SchemaCompiler.Compile(new SchemaRegistry(primary, companions)));
    }

    /// <summary>
    /// Compiles <paramref name="schemaFileName"/> from <paramref name="directory"/>, with every <c>*.json</c> file
    /// in that directory as a companion its <c>$ref</c>s may point into.
    /// </summary>
    /// <param name="directory">The folder holding the schemas, such as the repository's <c>schemas/</c>.</param>
    /// <param name="schemaFileName">The file name (not a path) of the schema to validate against.</param>
    /// <exception cref="JsonSchemaException">See <see cref="Load(string, IEnumerable{string})"/>.</exception>
    /// <exception cref="IOException">The directory or a file cannot be read.</exception>
    public static JsonSchemaValidator LoadFromDirectory(string directory, string schemaFileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(schemaFileName);
        if (Path.GetFileName(schemaFileName) != schemaFileName)
        {
            throw new ArgumentException($"\"{schemaFileName}\" must be a file name in the directory, not a path.", nameof(schemaFileName));
        }

        // Sorted so that which file an error names (say, of two sharing an $id) does not depend on the file system.
        string[] companions = Directory.GetFiles(directory, "*.json", SearchOption.TopDirectoryOnly);
        Array.Sort(companions, StringComparer.Ordinal);
        return Load(Path.Combine(directory, schemaFileName), companions);
    }

    /// <summary>Compiles a schema given as JSON text. Its <c>$ref</c>s may only point into the schema itself.</summary>
    /// <exception cref="JsonSchemaException">The text is not a schema this validator can enforce.</exception>
    public static JsonSchemaValidator Parse(string schemaJson)
    {
        ArgumentNullException.ThrowIfNull(schemaJson);
        var document = SchemaDocument.Parse(schemaJson);
        return new JsonSchemaValidator(SchemaCompiler.Compile(new SchemaRegistry(document, [])));
    }

    /// <summary>
    /// Compiles a schema given as JSON text whose <c>$ref</c>s may also point into the companion schemas
    /// given as text (found by their <c>$id</c>): for schemas embedded in an assembly.
    /// </summary>
    /// <exception cref="JsonSchemaException">See <see cref="Load(string, IEnumerable{string})"/>.</exception>
    public static JsonSchemaValidator Parse(string schemaJson, IEnumerable<string> companionSchemaJsons)
    {
        ArgumentNullException.ThrowIfNull(schemaJson);
        ArgumentNullException.ThrowIfNull(companionSchemaJsons);
        var document = SchemaDocument.Parse(schemaJson);
        var companions = companionSchemaJsons.Where(json => !ReferenceEquals(json, schemaJson)).Select(SchemaDocument.Parse).ToList();
        return new JsonSchemaValidator(SchemaCompiler.Compile(new SchemaRegistry(document, companions)));
    }

    /// <summary>Validates an already parsed instance, collecting up to <see cref="MaxErrors"/> errors.</summary>
    /// <exception cref="InsufficientExecutionStackException">
    /// The instance is nested so deeply (only possible with a caller-raised <see cref="JsonDocumentOptions.MaxDepth"/>)
    /// that validating it would overflow the stack.
    /// </exception>
    public JsonSchemaValidationResult Validate(JsonElement instance)
    {
        if (instance.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The element holds no value (default JsonElement).", nameof(instance));
        }

        var sink = new ErrorSink(MaxErrors);
        _root.Evaluate(instance, null, sink);
        return sink.ToResult();
    }

    /// <summary>Parses and validates JSON text; text that is not JSON yields an error rather than an exception.</summary>
    public JsonSchemaValidationResult Validate(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            return InvalidJson(ex);
        }

        using (document)
        {
            return Validate(document.RootElement);
        }
    }

    /// <summary>Parses and validates UTF-8 JSON; text that is not JSON yields an error rather than an exception.</summary>
    public JsonSchemaValidationResult Validate(ReadOnlyMemory<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json);
        }
        catch (JsonException ex)
        {
            return InvalidJson(ex);
        }

        using (document)
        {
            return Validate(document.RootElement);
        }
    }

    private static JsonSchemaValidationResult InvalidJson(JsonException ex) =>
        new([new JsonSchemaError("", "#", $"invalid JSON: {ex.Message}")]);
}
