using System.Reflection;
using Orchestrator.Core.Schemas;

namespace Orchestrator.Core;

/// <summary>
/// The repository's JSON Schemas (schemas/*.json) compiled from copies embedded in this assembly, so
/// a run can be verified wherever the tool or the SDK runs, with no schemas directory beside it.
/// </summary>
public static class EmbeddedSchemas
{
    private const string Prefix = "Orchestrator.Schemas.";

    private static readonly string[] Names = ["manifest.json", "exec-event.json", "config.json"];

    private static readonly Lazy<JsonSchemaValidator> ManifestValidator = new(() => Compile("manifest.json"));

    private static readonly Lazy<JsonSchemaValidator> ExecEventValidator = new(() => Compile("exec-event.json"));

    /// <summary>Validates a manifest.json (schemas/manifest.json).</summary>
    public static JsonSchemaValidator Manifest => ManifestValidator.Value;

    /// <summary>Validates one events.jsonl line (schemas/exec-event.json).</summary>
    public static JsonSchemaValidator ExecEvent => ExecEventValidator.Value;

    /// <summary>The text of an embedded schema, by file name (<c>manifest.json</c>, <c>exec-event.json</c>, <c>config.json</c>).</summary>
    public static string Text(string fileName)
    {
        using Stream stream = typeof(EmbeddedSchemas).Assembly.GetManifestResourceStream(Prefix + fileName)
            ?? throw new ArgumentException($"No embedded schema named '{fileName}'.", nameof(fileName));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static JsonSchemaValidator Compile(string fileName) =>
        JsonSchemaValidator.Parse(Text(fileName), Names.Where(n => n != fileName).Select(Text));
}
