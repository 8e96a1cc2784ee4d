using System.Globalization;
using System.Text.Json;
using Orchestrator.Core.Schemas.Formats;
using Orchestrator.Core.Schemas.Nodes;
using Orchestrator.Core.Schemas.Values;
using static Orchestrator.Core.Schemas.Compilation.KeywordReader;

namespace Orchestrator.Core.Schemas.Compilation;

/// <summary>Turns schema documents into <see cref="SchemaNode"/>s and resolves every <c>$ref</c> up front.</summary>
/// <remarks>
/// Companion documents are compiled only once a <c>$ref</c> reaches them, so a file in the schema directory that
/// nothing refers to (another schema, or an example document) cannot stop a schema from loading.
/// </remarks>
internal sealed class SchemaCompiler
{
    private static readonly HashSet<string> AnnotationKeywords = new(StringComparer.Ordinal)
    {
        "$schema", "$id", "title", "description", "$comment", "examples", "default", "deprecated", "readOnly", "writeOnly",
    };

    private readonly SchemaRegistry _registry;
    private readonly List<CompiledDocument> _documents = [];
    private readonly List<(CompiledDocument Document, SchemaNode Node, string Reference, string KeywordPath)> _references = [];

    private SchemaCompiler(SchemaRegistry registry) => _registry = registry;

    /// <summary>Compiles the registry's primary schema and every document its references reach; returns its root.</summary>
    public static SchemaNode Compile(SchemaRegistry registry)
    {
        var compiler = new SchemaCompiler(registry);
        var root = compiler.GetOrCompile(registry.Primary).Root;
        // Linking after every node of a document exists is what lets a $ref point at its own ancestor (recursive
        // schemas). Linking may compile another document and so add references: hence a loop by index.
        for (int i = 0; i < compiler._references.Count; i++)
        {
            compiler.Link(compiler._references[i]);
        }

        InPlaceCycleDetector.Reject(compiler._documents);
        return root;
    }

    private CompiledDocument GetOrCompile(SchemaDocument source)
    {
        // A linear search: a validator knows a handful of documents.
        foreach (var compiled in _documents)
        {
            if (ReferenceEquals(compiled.Source, source)) return compiled;
        }

        var document = new CompiledDocument(source, _registry.NameOf(source));
        _documents.Add(document);
        try
        {
            CompileSchema(document, source.Root, document.RootLocation);
        }
        catch (JsonSchemaException ex)
        {
            throw source.Attribute(ex);
        }

        return document;
    }

    private void Link((CompiledDocument Document, SchemaNode Node, string Reference, string KeywordPath) reference)
    {
        var (from, node, text, keywordPath) = reference;
        SchemaDocument targetSource;
        string pointer;
        try
        {
            (targetSource, pointer) = _registry.Resolve(from.Source, text, keywordPath);
        }
        catch (JsonSchemaException ex)
        {
            throw from.Source.Attribute(ex);
        }

        var target = GetOrCompile(targetSource);
        string location = target.RootLocation + pointer;
        node.Ref = target.Nodes.TryGetValue(location, out var resolved)
            ? resolved
            : throw from.Source.Attribute(Fail(keywordPath, $"cannot resolve $ref \"{text}\": there is no schema at {location}"));
    }

    private SchemaNode CompileSchema(CompiledDocument document, JsonElement schema, string location)
    {
        var node = new SchemaNode(location);
        document.Nodes.Add(location, node);
        switch (schema.ValueKind)
        {
            case JsonValueKind.True:
            case JsonValueKind.False:
                node.BooleanSchema = schema.ValueKind == JsonValueKind.True;
                return node;
            case JsonValueKind.Object:
                foreach (var keyword in schema.EnumerateObject())
                {
                    ApplyKeyword(document, node, keyword.Name, keyword.Value, location + "/" + JsonPointer.Escape(keyword.Name));
                }

                return node;
            default:
                throw Fail(location, $"a schema must be an object or a boolean, not {Describe(schema.ValueKind)}");
        }
    }

    private void ApplyKeyword(CompiledDocument document, SchemaNode node, string keyword, JsonElement value, string path)
    {
        switch (keyword)
        {
            case "$id":
                if (node.Location != document.RootLocation)
                {
                    throw Fail(path, "$id is only supported on the root schema: an embedded schema resource changes how $ref resolves");
                }

                RequireString(value, path);
                break;
            case "$ref":
                _references.Add((document, node, RequireString(value, path), path));
                break;
            case "$defs":
            case "definitions":
                foreach (var definition in RequireKind(value, JsonValueKind.Object, path).EnumerateObject())
                {
                    CompileSchema(document, definition.Value, path + "/" + JsonPointer.Escape(definition.Name));
                }

                break;
            case "type":
                var values = ValuesOf(node);
                (values.Types, values.TypeDescription) = RequireTypes(value, path);
                break;
            case "enum":
                ValuesOf(node).EnumValues = [.. RequireKind(value, JsonValueKind.Array, path).EnumerateArray()];
                break;
            case "const":
                ValuesOf(node).ConstValue = value;
                break;
            case "minimum":
                NumbersOf(node).Minimum = RequireNumber(value, path);
                break;
            case "maximum":
                NumbersOf(node).Maximum = RequireNumber(value, path);
                break;
            case "exclusiveMinimum":
                NumbersOf(node).ExclusiveMinimum = RequireNumber(value, path);
                break;
            case "exclusiveMaximum":
                NumbersOf(node).ExclusiveMaximum = RequireNumber(value, path);
                break;
            case "multipleOf":
                var divisor = RequireNumber(value, path);
                if (divisor.Sign <= 0) throw Fail(path, "multipleOf must be greater than 0");
                NumbersOf(node).MultipleOf = divisor;
                break;
            case "minLength":
                StringsOf(node).MinLength = RequireCount(value, path);
                break;
            case "maxLength":
                StringsOf(node).MaxLength = RequireCount(value, path);
                break;
            case "pattern":
                StringsOf(node).Pattern = PatternCache.Get(RequireString(value, path), path);
                break;
            case "format":
                StringsOf(node).Format = FormatChecker.Parse(RequireString(value, path), path);
                break;
            case "items":
                if (value.ValueKind == JsonValueKind.Array)
                {
                    throw Fail(path, "\"items\" as an array is the pre-2020-12 form; use \"prefixItems\" for per-position schemas");
                }

                ArraysOf(node).Items = CompileSchema(document, value, path);
                break;
            case "prefixItems":
                ArraysOf(node).PrefixItems = CompileSchemaArray(document, value, path);
                break;
            case "minItems":
                ArraysOf(node).MinItems = RequireCount(value, path);
                break;
            case "maxItems":
                ArraysOf(node).MaxItems = RequireCount(value, path);
                break;
            case "uniqueItems":
                ArraysOf(node).UniqueItems = RequireBoolean(value, path);
                break;
            case "properties":
                var properties = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
                foreach (var property in RequireKind(value, JsonValueKind.Object, path).EnumerateObject())
                {
                    properties.Add(property.Name, CompileSchema(document, property.Value, path + "/" + JsonPointer.Escape(property.Name)));
                }

                ObjectsOf(node).Properties = properties;
                break;
            case "patternProperties":
                ObjectsOf(node).PatternProperties =
                [
                    .. RequireKind(value, JsonValueKind.Object, path).EnumerateObject().Select(property =>
                    {
                        string propertyPath = path + "/" + JsonPointer.Escape(property.Name);
                        return (PatternCache.Get(property.Name, propertyPath), CompileSchema(document, property.Value, propertyPath));
                    }),
                ];
                break;
            case "additionalProperties":
                ObjectsOf(node).AdditionalProperties = CompileSchema(document, value, path);
                break;
            case "propertyNames":
                ObjectsOf(node).PropertyNames = CompileSchema(document, value, path);
                break;
            case "minProperties":
                ObjectsOf(node).MinProperties = RequireCount(value, path);
                break;
            case "maxProperties":
                ObjectsOf(node).MaxProperties = RequireCount(value, path);
                break;
            case "required":
                ObjectsOf(node).Required = RequireUniqueStrings(value, path);
                break;
            case "dependentRequired":
                ObjectsOf(node).DependentRequired =
                [
                    .. RequireKind(value, JsonValueKind.Object, path).EnumerateObject().Select(property =>
                        (property.Name, RequireUniqueStrings(property.Value, path + "/" + JsonPointer.Escape(property.Name)))),
                ];
                break;
            case "allOf":
                ApplicatorsOf(node).AllOf = CompileSchemaArray(document, value, path);
                break;
            case "anyOf":
                ApplicatorsOf(node).AnyOf = CompileSchemaArray(document, value, path);
                break;
            case "oneOf":
                ApplicatorsOf(node).OneOf = CompileSchemaArray(document, value, path);
                break;
            case "not":
                ApplicatorsOf(node).Not = CompileSchema(document, value, path);
                break;
            case "if":
                ApplicatorsOf(node).If = CompileSchema(document, value, path);
                break;
            case "then":
                ApplicatorsOf(node).Then = CompileSchema(document, value, path);
                break;
            case "else":
                ApplicatorsOf(node).Else = CompileSchema(document, value, path);
                break;
            default:
                if (AnnotationKeywords.Contains(keyword)) break;
                throw Fail(path, $"unsupported keyword \"{keyword}\": this validator implements a subset of JSON Schema 2020-12 and refuses keywords it cannot enforce");
        }
    }

    private SchemaNode[] CompileSchemaArray(CompiledDocument document, JsonElement value, string path)
    {
        var schemas = RequireKind(value, JsonValueKind.Array, path);
        if (schemas.GetArrayLength() == 0) throw Fail(path, "must be a non-empty array of schemas");
        return [.. schemas.EnumerateArray().Select((schema, i) => CompileSchema(document, schema, path + "/" + i.ToString(CultureInfo.InvariantCulture)))];
    }

    private static ValueConstraints ValuesOf(SchemaNode node) => node.Values ??= new ValueConstraints(node.Location);

    private static NumberConstraints NumbersOf(SchemaNode node) => node.Numbers ??= new NumberConstraints(node.Location);

    private static StringConstraints StringsOf(SchemaNode node) => node.Strings ??= new StringConstraints(node.Location);

    private static ArrayConstraints ArraysOf(SchemaNode node) => node.Arrays ??= new ArrayConstraints(node.Location);

    private static ObjectConstraints ObjectsOf(SchemaNode node) => node.Objects ??= new ObjectConstraints(node.Location);

    private static ApplicatorConstraints ApplicatorsOf(SchemaNode node) => node.Applicators ??= new ApplicatorConstraints(node.Location);
}
