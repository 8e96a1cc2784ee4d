using System.Text;
using Orchestrator.Core.Schemas.Values;

namespace Orchestrator.Core.Schemas.Compilation;

/// <summary>
/// The schema documents a validator knows, by URI, and the resolution of <c>$ref</c> values to a document and a
/// JSON Pointer into it.
/// </summary>
internal sealed class SchemaRegistry
{
    private readonly Dictionary<string, SchemaDocument> _byKey = new(StringComparer.Ordinal);
    private readonly int _documentCount;

    public SchemaRegistry(SchemaDocument primary, IReadOnlyCollection<SchemaDocument> companions)
    {
        Primary = primary;
        if (primary.BaseUri is not null)
        {
            _byKey.Add(SchemaDocument.KeyOf(primary.BaseUri), primary);
        }

        foreach (var companion in companions)
        {
            if (companion.BaseUri is null)
            {
                throw new ArgumentException("Companion schemas need a URI, so they must be loaded from files.", nameof(companions));
            }

            string key = SchemaDocument.KeyOf(companion.BaseUri);
            if (_byKey.TryGetValue(key, out var existing))
            {
                // Either one could be the target of a $ref to this URI; guessing would validate against the wrong one.
                throw new JsonSchemaException(
                    $"{companion.SourcePath}: the schema URI {key} is also the URI of {existing.SourcePath ?? "the schema being loaded"}; every schema needs its own $id",
                    "#/$id");
            }

            _byKey.Add(key, companion);
        }

        _documentCount = 1 + companions.Count;
    }

    /// <summary>The schema instances are validated against.</summary>
    public SchemaDocument Primary { get; }

    /// <summary>The name locations in <paramref name="document"/> start with; see <see cref="CompiledDocument.Name"/>.</summary>
    public string NameOf(SchemaDocument document)
    {
        if (ReferenceEquals(document, Primary)) return "";
        Uri target = document.BaseUri!;
        if (Primary.BaseUri is not null)
        {
            // Relative to the primary schema the name is usually what the $ref itself said, such as "manifest.json".
            string relative = Uri.UnescapeDataString(Primary.BaseUri.MakeRelativeUri(target).OriginalString);
            if (relative.Length > 0) return relative;
        }

        return target.AbsoluteUri;
    }

    /// <summary>
    /// Resolves <paramref name="reference"/>, found in <paramref name="from"/>, to the document it names and a JSON
    /// Pointer into it, normalised to the escaping that node locations use ("" for the document's root).
    /// </summary>
    /// <exception cref="JsonSchemaException">The document is unknown, or the fragment is not a JSON Pointer.</exception>
    public (SchemaDocument Document, string Pointer) Resolve(SchemaDocument from, string reference, string keywordPath)
    {
        int hash = reference.IndexOf('#');
        string resource = hash < 0 ? reference : reference[..hash];
        string fragment = hash < 0 ? "" : Uri.UnescapeDataString(reference[(hash + 1)..]);
        SchemaDocument target = resource.Length == 0 ? from : FindDocument(from, resource, reference, keywordPath);

        if (fragment.Length > 0 && fragment[0] != '/')
        {
            throw KeywordReader.Fail(keywordPath, $"cannot resolve $ref \"{reference}\": anchors are not supported; use a JSON Pointer such as #/$defs/name");
        }

        // Re-escape each token the way locations were recorded, so "#/$defs/a~1b" and "#/$defs/a%7E1b" agree.
        var pointer = new StringBuilder();
        foreach (string token in fragment.Length == 0 ? [] : fragment[1..].Split('/'))
        {
            if (!JsonPointer.TryUnescape(token, out string name))
            {
                throw KeywordReader.Fail(keywordPath, $"cannot resolve $ref \"{reference}\": \"~\" must be followed by 0 or 1 in a JSON Pointer");
            }

            pointer.Append('/').Append(JsonPointer.Escape(name));
        }

        return (target, pointer.ToString());
    }

    private SchemaDocument FindDocument(SchemaDocument from, string resource, string reference, string keywordPath)
    {
        // Without a base URI a relative $id can still be matched as written.
        if (resource == from.Id) return from;

        Uri? uri = from.BaseUri is not null
            ? Uri.TryCreate(from.BaseUri, resource, out var resolved) ? resolved : null
            : Uri.TryCreate(resource, UriKind.Absolute, out var absolute) ? absolute : null;
        string? key = uri is null ? null : SchemaDocument.KeyOf(uri);
        if (key is not null && _byKey.TryGetValue(key, out var document)) return document;

        string named = key ?? resource;
        throw KeywordReader.Fail(keywordPath, _documentCount == 1
            ? $"cannot resolve $ref \"{reference}\": it refers to the document {named}, but only references within this schema document are supported unless the schemas it refers to are loaded with it as companions"
            : $"cannot resolve $ref \"{reference}\": there is no schema document {named} among the loaded schemas ({string.Join(", ", _byKey.Keys)})");
    }
}
