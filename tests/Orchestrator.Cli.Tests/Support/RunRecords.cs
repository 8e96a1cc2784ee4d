using System.Text.Json;
using Orchestrator.Core.Events;
using Orchestrator.Core.Json;
using Orchestrator.Core.Schemas;

namespace Orchestrator.Cli.Tests.Support;

/// <summary>Checks CLI output and run files against the repository's schemas (schemas/*.json, copied beside the tests).</summary>
public static class RunRecords
{
    private static readonly Lazy<JsonSchemaValidator> ManifestSchema = new(() => JsonSchemaValidator.LoadFromDirectory(SchemaDirectory, "manifest.json"));

    private static readonly Lazy<JsonSchemaValidator> EventSchema = new(() => JsonSchemaValidator.LoadFromDirectory(SchemaDirectory, "exec-event.json"));

    public static string SchemaDirectory => Path.Combine(AppContext.BaseDirectory, "schemas");

    /// <summary>Validates each stdout line against schemas/exec-event.json and returns the parsed events.</summary>
    public static IReadOnlyList<ExecEvent> ParseJsonl(IEnumerable<string> lines)
    {
        var events = new List<ExecEvent>();
        int number = 0;
        foreach (string line in lines)
        {
            number++;
            var result = EventSchema.Value.Validate(line);
            Assert.IsTrue(result.IsValid, $"stdout line {number} is not a valid event: {string.Join("; ", result.Errors)}\n{line}");
            events.Add(JsonSerializer.Deserialize(line, JsonDefaults.Events.ExecEvent)!);
        }

        return events;
    }

    /// <summary>Validates a manifest against schemas/manifest.json and returns it parsed.</summary>
    public static JsonDocument AssertValidManifest(string manifestPath)
    {
        byte[] bytes = File.ReadAllBytes(manifestPath);
        var result = ManifestSchema.Value.Validate(bytes);
        Assert.IsTrue(result.IsValid, $"{manifestPath} is not a valid manifest: {string.Join("; ", result.Errors)}");
        return JsonDocument.Parse(bytes);
    }

    public static string ManifestPathOf(IReadOnlyList<ExecEvent> events) =>
        ((RunBeginPayload)events[0].Payload).ManifestPath;
}
