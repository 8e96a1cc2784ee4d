using System.Text.Json;
using Json.Schema;

namespace Orchestrator.Core.Schemas;

/// <summary>
/// Validates JSON documents against one of the repository's JSON Schemas (draft 2020-12), with the
/// schemas it refers to. Evaluation is JsonSchema.Net's; this type fixes how schemas are found (a
/// registry per validator, so two validators never share or clash over an <c>$id</c>), turns on
/// <c>format</c> checking (the schemas rely on <c>date-time</c> and <c>uuid</c>), and flattens the
/// results into errors that name the instance location and the failing keyword.
/// </summary>
/// <remarks>Instances are immutable after construction; <c>Validate</c> may be called from several threads at once.</remarks>
public sealed class JsonSchemaValidator
{
    /// <summary>Validation reports at most this many errors; beyond that more detail rarely helps.</summary>
    public const int MaxErrors = 100;

    // Almost every document is valid: a yes/no evaluation first, the detailed one only to explain a failure.
    private static readonly EvaluationOptions Check = new()
    {
        OutputFormat = OutputFormat.Flag,
        RequireFormatValidation = true,
    };

    private static readonly EvaluationOptions Evaluation = new()
    {
        // Hierarchical, so that only branches that made their parent fail are reported: a flat list
        // also carries the failures of `if` conditions and of alternatives that did not matter.
        OutputFormat = OutputFormat.Hierarchical,
        RequireFormatValidation = true,
    };

    private readonly JsonSchema _schema;
    private readonly Uri _baseUri;

    private JsonSchemaValidator(JsonSchema schema, Uri baseUri)
    {
        _schema = schema;
        _baseUri = baseUri;
    }

    /// <summary>
    /// Compiles <paramref name="schemaFileName"/> from <paramref name="directory"/>, with every <c>*.json</c> file
    /// in that directory as a companion its <c>$ref</c>s may point into.
    /// </summary>
    /// <exception cref="SchemaLoadException">A schema is not valid JSON Schema or a <c>$ref</c> cannot be resolved.</exception>
    /// <exception cref="IOException">The directory or a file cannot be read.</exception>
    public static JsonSchemaValidator LoadFromDirectory(string directory, string schemaFileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(schemaFileName);
        if (Path.GetFileName(schemaFileName) != schemaFileName)
        {
            throw new ArgumentException($"\"{schemaFileName}\" must be a file name in the directory, not a path.", nameof(schemaFileName));
        }

        string primary = Path.Combine(directory, schemaFileName);
        string primaryText = File.ReadAllText(primary);
        string[] companions = Directory.GetFiles(directory, "*.json", SearchOption.TopDirectoryOnly);
        Array.Sort(companions, StringComparer.Ordinal);
        return Parse(primaryText, companions.Where(p => Path.GetFileName(p) != schemaFileName).Select(File.ReadAllText));
    }

    /// <summary>
    /// Compiles a schema given as JSON text whose <c>$ref</c>s may also point into the companion schemas
    /// given as text (found by their <c>$id</c>): for schemas embedded in an assembly.
    /// </summary>
    /// <exception cref="SchemaLoadException">A schema is not valid JSON Schema or a <c>$ref</c> cannot be resolved.</exception>
    public static JsonSchemaValidator Parse(string schemaJson, IEnumerable<string> companionSchemaJsons)
    {
        ArgumentNullException.ThrowIfNull(schemaJson);
        ArgumentNullException.ThrowIfNull(companionSchemaJsons);

        // A registry of its own: the library's global registry would make a second validator over the
        // same $ids (the embedded copies and the repository's files, in tests) a duplicate registration.
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        try
        {
            var documents = new List<JsonElement> { JsonElement.Parse(schemaJson) };
            foreach (string companion in companionSchemaJsons)
            {
                if (!ReferenceEquals(companion, schemaJson))
                {
                    documents.Add(JsonElement.Parse(companion));
                    JsonSchema.FromText(companion, options);
                }
            }

            SchemaReferences.CheckAll(documents);
            var schema = JsonSchema.FromText(schemaJson, options);
            return new JsonSchemaValidator(schema, schema.BaseUri);
        }
        catch (SchemaLoadException)
        {
            throw;
        }
        catch (Exception ex) when (ex is JsonException or global::Json.Schema.JsonSchemaException or RefResolutionException or ArgumentException or InvalidOperationException)
        {
            throw new SchemaLoadException($"The schema cannot be used: {ex.Message}", ex);
        }
    }

    /// <summary>Validates an already parsed instance, collecting up to <see cref="MaxErrors"/> errors.</summary>
    public JsonSchemaValidationResult Validate(JsonElement instance)
    {
        if (instance.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The element holds no value (default JsonElement).", nameof(instance));
        }

        if (_schema.Evaluate(instance, Check).IsValid)
        {
            return JsonSchemaValidationResult.Success;
        }

        var results = _schema.Evaluate(instance, Evaluation);

        var errors = new List<JsonSchemaError>();
        Collect(results, errors);
        return new JsonSchemaValidationResult(errors);
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

    private void Collect(EvaluationResults node, List<JsonSchemaError> errors)
    {
        if (errors.Count >= MaxErrors)
        {
            return;
        }

        if (node.Errors is { Count: > 0 } messages)
        {
            string instancePath = node.InstanceLocation.ToString();
            string schemaBase = Relative(node.SchemaLocation);
            foreach (var (keyword, message) in messages)
            {
                if (errors.Count >= MaxErrors)
                {
                    return;
                }

                errors.Add(new JsonSchemaError(instancePath, $"{schemaBase}/{keyword}", message));
            }
        }

        if (node.Details is { } details)
        {
            foreach (var detail in details)
            {
                if (!detail.IsValid)
                {
                    Collect(detail, errors);
                }
            }
        }
    }

    // A location in the validated schema reads "#/...", one in a companion "manifest.json#/...", as a
    // person would write the $ref; anything else keeps its absolute URI.
    private string Relative(Uri location)
    {
        string text = location.OriginalString;
        string own = _baseUri.GetLeftPart(UriPartial.Query);
        if (text.StartsWith(own + "#", StringComparison.Ordinal))
        {
            return text[own.Length..];
        }

        string folder = own[..(own.LastIndexOf('/') + 1)];
        return text.StartsWith(folder, StringComparison.Ordinal) ? text[folder.Length..] : text;
    }

    private static JsonSchemaValidationResult InvalidJson(JsonException ex) =>
        new([new JsonSchemaError("", "#", $"invalid JSON: {ex.Message}")]);
}
