using System.Security.Cryptography;
using System.Text.Json;
using Orchestrator.Core.Events;
using Orchestrator.Core.Json;
using Orchestrator.Core.Schemas;

namespace Orchestrator.Core.Tests.Support;

/// <summary>Reads a run's files back and checks them against the repository schemas.</summary>
public static class RunFiles
{
    private static readonly Lazy<JsonSchemaValidator> ManifestSchema = new(() =>
        JsonSchemaValidator.LoadFromDirectory(SchemaDirectory, "manifest.json"));

    private static readonly Lazy<JsonSchemaValidator> EventSchema = new(() =>
        JsonSchemaValidator.LoadFromDirectory(SchemaDirectory, "exec-event.json"));

    public static string SchemaDirectory => Path.Combine(AppContext.BaseDirectory, "schemas");

    public static JsonDocument ReadManifest(string manifestPath) => JsonDocument.Parse(File.ReadAllBytes(manifestPath));

    public static IReadOnlyList<ExecEvent> ReadEvents(string eventsPath) =>
        File.ReadAllLines(eventsPath)
            .Select(line => JsonSerializer.Deserialize(line, JsonDefaults.Events.ExecEvent)!)
            .ToList();

    /// <summary>Asserts the manifest validates, every event line validates, and the recorded events hash matches the file.</summary>
    public static void AssertValidRun(string manifestPath)
    {
        byte[] manifestBytes = File.ReadAllBytes(manifestPath);
        var manifestResult = ManifestSchema.Value.Validate(manifestBytes);
        Assert.IsTrue(manifestResult.IsValid, "manifest invalid: " + string.Join("; ", manifestResult.Errors));

        using var manifest = JsonDocument.Parse(manifestBytes);
        string eventsPath = Path.Combine(Path.GetDirectoryName(manifestPath)!, manifest.RootElement.GetProperty("eventsPath").GetString()!);
        int lineNumber = 0;
        foreach (string line in File.ReadLines(eventsPath))
        {
            lineNumber++;
            var result = EventSchema.Value.Validate(line);
            Assert.IsTrue(result.IsValid, $"events.jsonl line {lineNumber} invalid: {string.Join("; ", result.Errors)}\n{Truncate(line)}");
        }

        if (manifest.RootElement.GetProperty("completedAt").ValueKind != JsonValueKind.Null)
        {
            string expected = manifest.RootElement.GetProperty("eventsSha256").GetString()!;
            string actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(eventsPath)));
            Assert.AreEqual(expected, actual, "eventsSha256 does not match events.jsonl");
            Assert.AreEqual(manifest.RootElement.GetProperty("eventCount").GetInt64(), lineNumber, "eventCount does not match the number of lines");
        }
    }

    private static string Truncate(string line) => line.Length <= 400 ? line : line[..400] + "...";
}
