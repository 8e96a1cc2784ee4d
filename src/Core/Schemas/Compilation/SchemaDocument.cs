using System.Text.Json;

namespace Orchestrator.Core.Schemas.Compilation;

/// <summary>One parsed schema document, with the URI that <c>$ref</c>s resolve against and find it by.</summary>
internal sealed class SchemaDocument
{
    // Duplicate keywords would leave it unclear which one the author meant, so the schema is rejected instead.
    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false, MaxDepth = 256 };

    private SchemaDocument(JsonElement root, string? id, Uri? baseUri, string? sourcePath)
    {
        Root = root;
        Id = id;
        BaseUri = baseUri;
        SourcePath = sourcePath;
    }

    public JsonElement Root { get; }

    /// <summary>The root <c>$id</c> exactly as written, or null.</summary>
    public string? Id { get; }

    /// <summary>
    /// The absolute URI, without fragment, that relative references in this document resolve against and that
    /// other documents find it by: the root <c>$id</c> (resolved against the file's URI when relative), else the
    /// file's <c>file://</c> URI. Null only for a schema given as text without an absolute <c>$id</c>.
    /// </summary>
    public Uri? BaseUri { get; }

    /// <summary>The file the document was read from, as the caller named it; null for a schema given as text.</summary>
    public string? SourcePath { get; }

    /// <summary>The form of a URI that documents are looked up by: escaped and without fragment.</summary>
    public static string KeyOf(Uri absoluteUri) =>
        absoluteUri.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.Fragment, UriFormat.UriEscaped);

    public static SchemaDocument Parse(string json) => Create(json, retrievalUri: null, sourcePath: null);

    /// <exception cref="IOException">The file cannot be read.</exception>
    public static SchemaDocument Load(string path)
    {
        string text = File.ReadAllText(path);
        try
        {
            return Create(text, new Uri(Path.GetFullPath(path)), path);
        }
        catch (JsonSchemaException ex)
        {
            throw Attribute(path, ex);
        }
    }

    /// <summary>Names this document's file in <paramref name="ex"/>, so that a problem in a companion is easy to find.</summary>
    public JsonSchemaException Attribute(JsonSchemaException ex) => Attribute(SourcePath, ex);

    private static JsonSchemaException Attribute(string? sourcePath, JsonSchemaException ex) =>
        sourcePath is null ? ex : new JsonSchemaException($"{sourcePath}: {ex.Message}", ex.SchemaPath, ex);

    private static SchemaDocument Create(string json, Uri? retrievalUri, string? sourcePath)
    {
        JsonElement root;
        try
        {
            using var parsed = JsonDocument.Parse(json, Options);
            // A clone owns its memory, so compiled nodes may keep enum/const values after the document is disposed.
            root = parsed.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new JsonSchemaException($"The schema is not valid JSON: {ex.Message}", "#", ex);
        }

        string? id = null;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("$id", out var idValue))
        {
            id = KeywordReader.RequireString(idValue, "#/$id");
        }

        Uri? baseUri = retrievalUri;
        if (id is not null
            && (retrievalUri is null ? Uri.TryCreate(id, UriKind.Absolute, out var resolved) : Uri.TryCreate(retrievalUri, id, out resolved)))
        {
            baseUri = resolved;
        }

        return new SchemaDocument(root, id, baseUri is null ? null : new Uri(KeyOf(baseUri)), sourcePath);
    }
}
