using System.Text;
using Orchestrator.Core.Schemas;

namespace Orchestrator.Core.Tests.Schemas;

/// <summary>
/// What our use of JsonSchema.Net guarantees: the repository's schemas load with their cross-file
/// references, formats are enforced, errors name the value and the keyword, and a schema that refers
/// to something it was not given fails when it loads rather than passing documents unchecked.
/// </summary>
[TestClass]
public sealed class JsonSchemaValidatorTests
{
    private const string RunId = "2024-05-01T10-00-00-000Z-0123abcd";
    private const string Capture = """{ "text": "ok", "truncated": false, "totalBytes": 2, "omittedBytes": 0, "invalidUtf8": false }""";

    private static readonly Lazy<JsonSchemaValidator> ExecEvent = new(() =>
        JsonSchemaValidator.LoadFromDirectory(Path.Combine(AppContext.BaseDirectory, "schemas"), "exec-event.json"));

    private static string ExecEnd(string runId = RunId, string stdout = Capture, string timestamp = "2024-05-01T10:00:01Z") => $$"""
        {
          "type": "exec:end", "timestamp": "{{timestamp}}", "runId": "{{runId}}",
          "payload": {
            "execId": "001-build", "index": 1, "status": "succeeded", "exitCode": 0, "durationMs": 12,
            "stdout": {{stdout}}, "stderr": {{Capture}},
            "events": { "chunks": 1, "bytes": 2, "notEmittedChunks": 0, "notEmittedBytes": 0, "budgetBytes": 1048576 },
            "outputDrainTimedOut": false
          }
        }
        """;

    private static JsonSchemaError SingleError(JsonSchemaValidationResult result)
    {
        Assert.IsFalse(result.IsValid);
        return Assert.ContainsSingle(result.Errors, $"expected exactly one error, got:{Environment.NewLine}{result}");
    }

    [TestMethod]
    public void AValidEventPasses()
    {
        var result = ExecEvent.Value.Validate(ExecEnd());
        Assert.IsTrue(result.IsValid, result.ToString());
    }

    [TestMethod]
    public void AnErrorInsideAReferencedSchemaNamesTheValueAndTheKeywordInThatSchema()
    {
        var error = SingleError(ExecEvent.Value.Validate(ExecEnd(stdout: Capture.Replace("\"ok\"", "5", StringComparison.Ordinal))));
        Assert.AreEqual("/payload/stdout/text", error.InstancePath, error.ToString());
        Assert.AreEqual("manifest.json#/$defs/streamCapture/properties/text/type", error.SchemaPath, error.ToString());
    }

    [TestMethod]
    public void APatternFailureNamesThePattern()
    {
        var error = SingleError(ExecEvent.Value.Validate(ExecEnd(runId: "2024-05-01T10-00-00-000Z-not-hex")));
        Assert.AreEqual("/runId", error.InstancePath, error.ToString());
        Assert.AreEqual("manifest.json#/$defs/runId/pattern", error.SchemaPath, error.ToString());
    }

    [TestMethod]
    public void DateTimeFormatIsEnforced()
    {
        var error = SingleError(ExecEvent.Value.Validate(ExecEnd(timestamp: "yesterday")));
        Assert.AreEqual("/timestamp", error.InstancePath, error.ToString());
        StringAssert.EndsWith(error.SchemaPath, "/format", error.ToString());
    }

    [TestMethod]
    public void TextThatIsNotJsonIsAnErrorNotAnException()
    {
        var error = SingleError(ExecEvent.Value.Validate("{ not json"));
        Assert.AreEqual("", error.InstancePath);
        StringAssert.StartsWith(error.Message, "invalid JSON");

        var bytes = SingleError(ExecEvent.Value.Validate(Encoding.UTF8.GetBytes("[1,").AsMemory()));
        StringAssert.StartsWith(bytes.Message, "invalid JSON");
    }

    [TestMethod]
    public void ManyErrorsAreCappedAtMaxErrors()
    {
        var validator = JsonSchemaValidator.Parse("""{ "type": "array", "items": { "type": "string" } }""", []);
        string instance = "[" + string.Join(",", Enumerable.Range(0, JsonSchemaValidator.MaxErrors * 2)) + "]";

        var result = validator.Validate(instance);

        Assert.HasCount(JsonSchemaValidator.MaxErrors, result.Errors);
        Assert.AreEqual("/0", result.Errors[0].InstancePath);
        Assert.AreEqual("#/items/type", result.Errors[0].SchemaPath);
    }

    [TestMethod]
    public void AReferenceToASchemaNotGivenFailsWhenLoading()
    {
        const string Primary = """
            { "$id": "https://example.test/event.json", "properties": { "x": { "$ref": "missing.json#/$defs/x" } } }
            """;
        var ex = Assert.ThrowsExactly<SchemaLoadException>(() => JsonSchemaValidator.Parse(Primary, []));
        StringAssert.Contains(ex.Message, "https://example.test/missing.json");
    }

    [TestMethod]
    public void AReferenceToALocationThatDoesNotExistFailsWhenLoading()
    {
        const string Common = """{ "$id": "https://example.test/common.json", "$defs": { "x": { "type": "string" } } }""";
        const string Primary = """
            { "$id": "https://example.test/event.json", "properties": { "x": { "$ref": "common.json#/$defs/y" }, "z": { "$ref": "#/$defs/none" } } }
            """;
        var ex = Assert.ThrowsExactly<SchemaLoadException>(() => JsonSchemaValidator.Parse(Primary, [Common]));
        StringAssert.Contains(ex.Message, "common.json#/$defs/y");

        var good = JsonSchemaValidator.Parse(Primary.Replace(", \"z\": { \"$ref\": \"#/$defs/none\" }", "", StringComparison.Ordinal).Replace("/y", "/x", StringComparison.Ordinal), [Common]);
        Assert.AreEqual("/x", SingleError(good.Validate("""{ "x": 1 }""")).InstancePath);
        Assert.AreEqual("common.json#/$defs/x/type", SingleError(good.Validate("""{ "x": 1 }""")).SchemaPath);
    }

    [TestMethod]
    public void ASchemaThatIsNotJsonFailsToLoad()
    {
        Assert.ThrowsExactly<SchemaLoadException>(() => JsonSchemaValidator.Parse("{ \"type\": ", []));
    }

    [TestMethod]
    public void ValidatorsOverTheSameIdsDoNotClash()
    {
        // The embedded copies and the repository's files carry the same $ids.
        var fromDirectory = JsonSchemaValidator.LoadFromDirectory(Path.Combine(AppContext.BaseDirectory, "schemas"), "exec-event.json");
        var embedded = EmbeddedSchemas.ExecEvent;

        Assert.IsTrue(fromDirectory.Validate(ExecEnd()).IsValid);
        Assert.IsTrue(embedded.Validate(ExecEnd()).IsValid);
        Assert.AreEqual(fromDirectory.Validate(ExecEnd(runId: "x")).ToString(), embedded.Validate(ExecEnd(runId: "x")).ToString());
    }

    [TestMethod]
    public void LoadFromDirectoryTakesAFileNameNotAPath()
    {
        string schemas = Path.Combine(AppContext.BaseDirectory, "schemas");
        Assert.ThrowsExactly<ArgumentException>(() => JsonSchemaValidator.LoadFromDirectory(schemas, Path.Combine("sub", "event.json")));
        Assert.ThrowsExactly<FileNotFoundException>(() => JsonSchemaValidator.LoadFromDirectory(schemas, "nope.json"));
    }
}
