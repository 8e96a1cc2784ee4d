using Orchestrator.Core.Schemas;

namespace Orchestrator.Core.Tests.Schemas;

[TestClass]
public sealed class JsonSchemaCrossReferenceTests
{
    private const string Common = """
        {
          "$id": "https://example.test/schemas/common.json",
          "$defs": {
            "capture": {
              "type": "object",
              "required": ["text"],
              "additionalProperties": false,
              "properties": { "text": { "type": "string" }, "bytes": { "$ref": "#/$defs/count" } }
            },
            "count": { "type": "integer", "minimum": 0 }
          }
        }
        """;

    private const string Event = """
        {
          "$id": "https://example.test/schemas/event.json",
          "type": "object",
          "properties": { "stdout": { "$ref": "common.json#/$defs/capture" } }
        }
        """;

    private string _directory = "";

    [TestInitialize]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"schemas-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
    }

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private string Write(string relativePath, string json)
    {
        string path = Path.Combine(_directory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    private static JsonSchemaError AssertSingleError(JsonSchemaValidator validator, string instance, string instancePath, string schemaPath)
    {
        var result = validator.Validate(instance);
        var error = Assert.ContainsSingle(result.Errors, $"expected exactly one error, got:{Environment.NewLine}{result}");
        Assert.AreEqual(instancePath, error.InstancePath, error.ToString());
        Assert.AreEqual(schemaPath, error.SchemaPath, error.ToString());
        return error;
    }

    // ---- resolution ----

    [TestMethod]
    public void RefToCompanion_Validates_AndErrorsNameTheOtherDocument()
    {
        string common = Write("common.json", Common);
        var validator = JsonSchemaValidator.Load(Write("event.json", Event), [common]);

        Assert.IsTrue(validator.Validate("""{ "stdout": { "text": "ok", "bytes": 2 } }""").IsValid);
        var error = AssertSingleError(validator, """{ "stdout": { "text": 1 } }""", "/stdout/text", "common.json#/$defs/capture/properties/text/type");
        Assert.AreEqual("expected string but found integer", error.Message);
        // A "#" reference inside the companion stays in the companion.
        AssertSingleError(validator, """{ "stdout": { "text": "", "bytes": -1 } }""", "/stdout/bytes", "common.json#/$defs/count/minimum");
        AssertSingleError(validator, """{ "stdout": { "text": "", "extra": 1 } }""", "/stdout/extra", "common.json#/$defs/capture/additionalProperties");
    }

    [TestMethod]
    public void RefToCompanion_IsResolvedAgainstTheIdNotTheFileLocation()
    {
        // The files sit side by side, but their $ids put them in different folders; the $ids decide.
        string shared = Write("common.json", Common.Replace("schemas/common.json", "schemas/shared/common.json"));
        string eventPath = Write("event.json", Event
            .Replace("schemas/event.json", "schemas/events/event.json")
            .Replace("common.json#", "../shared/common.json#"));

        var validator = JsonSchemaValidator.Load(eventPath, [shared]);
        AssertSingleError(validator, """{ "stdout": {} }""", "/stdout", "../shared/common.json#/$defs/capture/required");

        // Resolved against the $id, "common.json" names https://example.test/schemas/events/common.json: not loaded,
        // even though a file of that name is next to the schema.
        string sameFolderRef = Write("event2.json", Event.Replace("schemas/event.json", "schemas/events/event2.json"));
        var ex = Assert.ThrowsExactly<JsonSchemaException>(() => JsonSchemaValidator.Load(sameFolderRef, [shared]));
        Assert.Contains("https://example.test/schemas/events/common.json", ex.Message);
    }

    [TestMethod]
    public void RefToCompanion_AbsoluteUri_Resolves()
    {
        string common = Write("common.json", Common);
        string eventPath = Write("event.json", Event.Replace("\"common.json#", "\"https://example.test/schemas/common.json#"));
        var validator = JsonSchemaValidator.Load(eventPath, [common]);
        AssertSingleError(validator, """{ "stdout": { "text": 1 } }""", "/stdout/text", "common.json#/$defs/capture/properties/text/type");
    }

    [TestMethod]
    public void SchemasWithoutId_AreFoundByTheirFileUri()
    {
        string common = Write(Path.Combine("shared", "common.json"), """{ "$defs": { "name": { "type": "string" } } }""");
        string primary = Write("event.json", """{ "properties": { "name": { "$ref": "shared/common.json#/$defs/name" } } }""");

        var validator = JsonSchemaValidator.Load(primary, [common]);
        Assert.IsTrue(validator.Validate("""{ "name": "x" }""").IsValid);
        AssertSingleError(validator, """{ "name": 1 }""", "/name", "shared/common.json#/$defs/name/type");
    }

    [TestMethod]
    public void RefWithoutFragment_TargetsTheCompanionRoot()
    {
        string count = Write("count.json", """{ "$id": "https://example.test/schemas/count.json", "type": "integer" }""");
        string primary = Write("event.json", """{ "$id": "https://example.test/schemas/event.json", "items": { "$ref": "count.json" } }""");
        var validator = JsonSchemaValidator.Load(primary, [count]);
        AssertSingleError(validator, """[1, "2"]""", "/1", "count.json#/type");
    }

    [TestMethod]
    public void Refs_ChainThroughSeveralDocuments_AndBackIntoTheFirst()
    {
        string a = Write("a.json", """
            {
              "$id": "https://example.test/a.json",
              "properties": { "b": { "$ref": "b.json#/$defs/b" } },
              "$defs": { "leaf": { "type": "boolean" } }
            }
            """);
        string b = Write("b.json", """{ "$id": "https://example.test/b.json", "$defs": { "b": { "properties": { "c": { "$ref": "c.json" } } } } }""");
        string c = Write("c.json", """{ "$id": "https://example.test/c.json", "properties": { "leaf": { "$ref": "a.json#/$defs/leaf" } } }""");

        var validator = JsonSchemaValidator.Load(a, [c, b]);
        Assert.IsTrue(validator.Validate("""{ "b": { "c": { "leaf": true } } }""").IsValid);
        // Back in the schema being validated against, locations read "#/..." as they do without companions.
        AssertSingleError(validator, """{ "b": { "c": { "leaf": 1 } } }""", "/b/c/leaf", "#/$defs/leaf/type");
    }

    [TestMethod]
    public void RecursionAcrossDocuments_Validates()
    {
        string tree = Write("tree.json", """
            { "$id": "https://example.test/tree.json", "type": "object", "properties": { "children": { "type": "array", "items": { "$ref": "node.json" } } } }
            """);
        string node = Write("node.json", """
            { "$id": "https://example.test/node.json", "required": ["name"], "allOf": [{ "$ref": "tree.json" }] }
            """);
        var validator = JsonSchemaValidator.Load(tree, [node]);
        Assert.IsTrue(validator.Validate("""{ "children": [{ "name": "a", "children": [{ "name": "b" }] }] }""").IsValid);
        AssertSingleError(validator, """{ "children": [{ "name": "a", "children": [{}] }] }""", "/children/0/children/0", "node.json#/required");
    }

    [TestMethod]
    public void CompanionListingTheSchemaItself_IsHarmless()
    {
        string common = Write("common.json", Common);
        string eventPath = Write("event.json", Event);
        var validator = JsonSchemaValidator.Load(eventPath, [eventPath, common, common]);
        Assert.IsTrue(validator.Validate("""{ "stdout": { "text": "" } }""").IsValid);
    }

    // ---- refusals ----

    [TestMethod]
    public void RefToMissingDocument_ThrowsNamingTheDocument()
    {
        string common = Write("common.json", Common);
        string eventPath = Write("event.json", Event.Replace("common.json#", "missing.json#"));

        var ex = Assert.ThrowsExactly<JsonSchemaException>(() => JsonSchemaValidator.Load(eventPath, [common]));
        Assert.Contains("https://example.test/schemas/missing.json", ex.Message);
        Assert.Contains("\"missing.json#/$defs/capture\"", ex.Message);
        Assert.Contains(eventPath, ex.Message);
        Assert.AreEqual("#/properties/stdout/$ref", ex.SchemaPath);
    }

    [TestMethod]
    public void RefToAnotherDocument_WithoutCompanions_Throws()
    {
        string eventPath = Write("event.json", Event);
        Write("common.json", Common);

        // The file is next to it, but only schemas given to the validator are known.
        var ex = Assert.ThrowsExactly<JsonSchemaException>(() => JsonSchemaValidator.Load(eventPath));
        Assert.Contains("https://example.test/schemas/common.json", ex.Message);
        Assert.Contains("only references within this schema document", ex.Message);
    }

    [TestMethod]
    public void RefToMissingPointerInExistingDocument_ThrowsNamingBoth()
    {
        string common = Write("common.json", Common);
        string eventPath = Write("event.json", Event.Replace("#/$defs/capture", "#/$defs/nope"));

        var ex = Assert.ThrowsExactly<JsonSchemaException>(() => JsonSchemaValidator.Load(eventPath, [common]));
        Assert.Contains("there is no schema at common.json#/$defs/nope", ex.Message);
        Assert.Contains(eventPath, ex.Message);
        Assert.AreEqual("#/properties/stdout/$ref", ex.SchemaPath);
    }

    [TestMethod]
    public void RefToAnchorInCompanion_Throws()
    {
        string common = Write("common.json", Common);
        string eventPath = Write("event.json", Event.Replace("#/$defs/capture", "#capture"));
        var ex = Assert.ThrowsExactly<JsonSchemaException>(() => JsonSchemaValidator.Load(eventPath, [common]));
        Assert.Contains("anchors are not supported", ex.Message);
    }

    [TestMethod]
    public void UnsupportedKeywordInReferencedCompanion_ThrowsNamingThatFileAndLocation()
    {
        string common = Write("common.json", Common.Replace("\"minimum\": 0", "\"minimum\": 0, \"contains\": {}"));
        string eventPath = Write("event.json", Event);

        var ex = Assert.ThrowsExactly<JsonSchemaException>(() => JsonSchemaValidator.Load(eventPath, [common]));
        Assert.Contains(common, ex.Message);
        Assert.Contains("unsupported keyword \"contains\"", ex.Message);
        Assert.AreEqual("common.json#/$defs/count/contains", ex.SchemaPath);
    }

    [TestMethod]
    public void IdInSubschemaOfCompanion_Throws()
    {
        string common = Write("common.json", Common.Replace("\"type\": \"integer\"", "\"$id\": \"count.json\", \"type\": \"integer\""));
        string eventPath = Write("event.json", Event);

        var ex = Assert.ThrowsExactly<JsonSchemaException>(() => JsonSchemaValidator.Load(eventPath, [common]));
        Assert.Contains("$id is only supported on the root schema", ex.Message);
        Assert.AreEqual("common.json#/$defs/count/$id", ex.SchemaPath);
    }

    [TestMethod]
    public void CycleAcrossDocumentsThatNeverDescends_Throws()
    {
        string a = Write("a.json", """{ "$id": "https://example.test/a.json", "$ref": "b.json" }""");
        string b = Write("b.json", """{ "$id": "https://example.test/b.json", "allOf": [{ "$ref": "a.json" }] }""");
        var ex = Assert.ThrowsExactly<JsonSchemaException>(() => JsonSchemaValidator.Load(a, [b]));
        Assert.Contains("# -> b.json# -> b.json#/allOf/0 -> #", ex.Message);
    }

    [TestMethod]
    public void TwoCompanionsWithTheSameId_ThrowNamingBothFiles()
    {
        string first = Write("common.json", Common);
        string second = Write("copy-of-common.json", Common);
        string eventPath = Write("event.json", Event);

        var ex = Assert.ThrowsExactly<JsonSchemaException>(() => JsonSchemaValidator.Load(eventPath, [first, second]));
        Assert.Contains(first, ex.Message);
        Assert.Contains(second, ex.Message);
        Assert.Contains("https://example.test/schemas/common.json", ex.Message);
    }

    [TestMethod]
    public void CompanionThatIsNotJson_ThrowsNamingIt()
    {
        string broken = Write("broken.json", "{ \"$defs\": ");
        var ex = Assert.ThrowsExactly<JsonSchemaException>(() => JsonSchemaValidator.Load(Write("event.json", Event), [broken]));
        Assert.Contains(broken, ex.Message);
        Assert.Contains("not valid JSON", ex.Message);
    }

    // ---- LoadFromDirectory ----

    [TestMethod]
    public void LoadFromDirectory_UsesEveryJsonFileAsCompanion()
    {
        Write("common.json", Common);
        Write("event.json", Event);
        // Nothing refers to this one, so a keyword the validator refuses does not stop the others from loading.
        Write("unrelated.json", """{ "$id": "https://example.test/schemas/unrelated.json", "unevaluatedProperties": false }""");

        var validator = JsonSchemaValidator.LoadFromDirectory(_directory, "event.json");
        Assert.IsTrue(validator.Validate("""{ "stdout": { "text": "" } }""").IsValid);
        AssertSingleError(validator, """{ "stdout": { "text": 1 } }""", "/stdout/text", "common.json#/$defs/capture/properties/text/type");

        // The named schema is the one validated against: the companion's root accepts anything.
        Assert.IsTrue(JsonSchemaValidator.LoadFromDirectory(_directory, "common.json").Validate("""{ "stdout": 1 }""").IsValid);
        Assert.ThrowsExactly<JsonSchemaException>(() => JsonSchemaValidator.LoadFromDirectory(_directory, "unrelated.json"));
    }

    [TestMethod]
    public void LoadFromDirectory_MissingSchemaOrPathInsteadOfName_Throws()
    {
        Write("common.json", Common);
        Assert.ThrowsExactly<FileNotFoundException>(() => JsonSchemaValidator.LoadFromDirectory(_directory, "event.json"));
        Assert.ThrowsExactly<ArgumentException>(() => JsonSchemaValidator.LoadFromDirectory(_directory, Path.Combine("sub", "event.json")));
    }

    // ---- the repository's schemas ----

    [TestMethod]
    public void RepositoryExecEvent_ChecksPayloadsAgainstManifestDefinitions()
    {
        var validator = JsonSchemaValidator.LoadFromDirectory(Path.Combine(AppContext.BaseDirectory, "schemas"), "exec-event.json");
        const string Capture = """{ "text": "ok", "truncated": false, "totalBytes": 2, "omittedBytes": 0, "invalidUtf8": false }""";
        static string ExecEnd(string runId, string stdout) => $$"""
            {
              "type": "exec:end", "timestamp": "2024-05-01T10:00:01Z", "runId": "{{runId}}",
              "payload": {
                "execId": "001-build", "index": 1, "status": "succeeded", "exitCode": 0, "durationMs": 12,
                "stdout": {{stdout}}, "stderr": {{Capture}},
                "events": { "chunks": 1, "bytes": 2, "notEmittedChunks": 0, "notEmittedBytes": 0, "budgetBytes": 1048576 },
                "outputDrainTimedOut": false
              }
            }
            """;
        const string RunId = "2024-05-01T10-00-00-000Z-0123abcd";

        var result = validator.Validate(ExecEnd(RunId, Capture));
        Assert.IsTrue(result.IsValid, result.ToString());
        AssertSingleError(validator, ExecEnd(RunId, Capture.Replace("\"ok\"", "5")),
            "/payload/stdout/text", "manifest.json#/$defs/streamCapture/properties/text/type");
        AssertSingleError(validator, ExecEnd("2024-05-01T10-00-00-000Z-not-hex", Capture), "/runId", "manifest.json#/$defs/runId/pattern");
    }
}
