using System.Text;
using System.Text.Json;
using Orchestrator.Core.Schemas;

namespace Orchestrator.Core.Tests.Schemas;

[TestClass]
public sealed class JsonSchemaValidatorTests
{
    private static JsonSchemaValidationResult Check(string schema, string instance) =>
        JsonSchemaValidator.Parse(schema).Validate(instance);

    private static void AssertValid(string schema, string instance)
    {
        var result = Check(schema, instance);
        Assert.IsTrue(result.IsValid, $"expected {instance} to be valid, got:{Environment.NewLine}{result}");
        Assert.IsEmpty(result.Errors);
    }

    private static JsonSchemaError AssertSingleError(string schema, string instance, string instancePath, string schemaPath)
    {
        var result = Check(schema, instance);
        Assert.IsFalse(result.IsValid, $"expected {instance} to be invalid");
        var error = Assert.ContainsSingle(result.Errors, $"expected exactly one error, got:{Environment.NewLine}{result}");
        Assert.AreEqual(instancePath, error.InstancePath, error.ToString());
        Assert.AreEqual(schemaPath, error.SchemaPath, error.ToString());
        return error;
    }

    private static JsonSchemaException AssertSchemaRejected(string schema, string expectedInMessage)
    {
        var ex = Assert.ThrowsExactly<JsonSchemaException>(() => JsonSchemaValidator.Parse(schema));
        Assert.Contains(expectedInMessage, ex.Message);
        return ex;
    }

    // ---- type ----

    [TestMethod]
    public void TypeString_AcceptsString_RejectsInteger()
    {
        const string Schema = """{ "type": "string" }""";
        AssertValid(Schema, "\"hello\"");
        var error = AssertSingleError(Schema, "42", "", "#/type");
        Assert.AreEqual("expected string but found integer", error.Message);
    }

    [TestMethod]
    public void TypeInteger_AcceptsZeroFraction_RejectsFraction()
    {
        const string Schema = """{ "type": "integer" }""";
        AssertValid(Schema, "1.0");
        AssertValid(Schema, "-7");
        AssertValid(Schema, "1e400");
        AssertValid(Schema, "123456789012345678901234567890");
        var error = AssertSingleError(Schema, "1.5", "", "#/type");
        Assert.AreEqual("expected integer but found number", error.Message);
    }

    [TestMethod]
    public void TypeNumber_AcceptsIntegersAndFractions_RejectsNumericString()
    {
        const string Schema = """{ "type": "number" }""";
        AssertValid(Schema, "3");
        AssertValid(Schema, "3.25e-2");
        AssertSingleError(Schema, "\"3\"", "", "#/type");
    }

    [TestMethod]
    public void TypeArray_AcceptsAnyListedType_AndNamesThemAllWhenRejecting()
    {
        const string Schema = """{ "type": ["integer", "null"] }""";
        AssertValid(Schema, "5");
        AssertValid(Schema, "null");
        var error = AssertSingleError(Schema, "\"five\"", "", "#/type");
        Assert.AreEqual("expected integer or null but found string", error.Message);
    }

    [TestMethod]
    public void TypeArrayOfThree_DescribesExpectedTypesAsList()
    {
        var error = AssertSingleError("""{ "type": ["string", "boolean", "object"] }""", "[]", "", "#/type");
        Assert.AreEqual("expected string, boolean or object but found array", error.Message);
    }

    [TestMethod]
    public void TypeBooleanNullObjectArray_EachMatchOnlyTheirKind()
    {
        AssertValid("""{ "type": "boolean" }""", "false");
        AssertValid("""{ "type": "null" }""", "null");
        AssertValid("""{ "type": "object" }""", "{}");
        AssertValid("""{ "type": "array" }""", "[]");
        AssertSingleError("""{ "type": "boolean" }""", "0", "", "#/type");
        AssertSingleError("""{ "type": "null" }""", "false", "", "#/type");
        AssertSingleError("""{ "type": "object" }""", "[]", "", "#/type");
        AssertSingleError("""{ "type": "array" }""", "{}", "", "#/type");
    }

    // ---- enum / const ----

    [TestMethod]
    public void Enum_AcceptsListedValues_RejectsOthers()
    {
        const string Schema = """{ "enum": ["queued", "running", 1, null, {"a": [1, 2]}] }""";
        AssertValid(Schema, "\"running\"");
        AssertValid(Schema, "null");
        AssertValid(Schema, "1.0");
        AssertValid(Schema, """{"a": [1, 2.0]}""");
        var error = AssertSingleError(Schema, "\"done\"", "", "#/enum");
        Assert.Contains("\"done\" is not one of the allowed values", error.Message);
        Assert.Contains("\"queued\"", error.Message);
    }

    [TestMethod]
    public void Const_ComparesObjectsIgnoringMemberOrder_AndNumbersByValue()
    {
        const string Schema = """{ "const": {"kind": "exec", "version": 1} }""";
        AssertValid(Schema, """{"version": 1.0, "kind": "exec"}""");
        var error = AssertSingleError(Schema, """{"kind": "exec", "version": 2}""", "", "#/const");
        Assert.Contains("expected {\"kind\": \"exec\", \"version\": 1}", error.Message);
    }

    [TestMethod]
    public void Const_RejectsDifferentType()
    {
        AssertValid("""{ "const": false }""", "false");
        AssertSingleError("""{ "const": false }""", "0", "", "#/const");
    }

    // ---- objects ----

    [TestMethod]
    public void Properties_ValidateEachNamedProperty_AndIgnoreAbsentOnes()
    {
        const string Schema = """{ "properties": { "name": { "type": "string" }, "count": { "type": "integer" } } }""";
        AssertValid(Schema, """{ "name": "x" }""");
        AssertValid(Schema, "{}");
        AssertValid(Schema, "\"not an object: properties does not apply\"");
        var error = AssertSingleError(Schema, """{ "name": "x", "count": "many" }""", "/count", "#/properties/count/type");
        Assert.AreEqual("expected integer but found string", error.Message);
    }

    [TestMethod]
    public void Required_MissingProperty_IsReportedAtTheObject()
    {
        const string Schema = """{ "required": ["id", "startedAt"] }""";
        AssertValid(Schema, """{ "id": 1, "startedAt": "x" }""");
        var error = AssertSingleError(Schema, """{ "id": 1 }""", "", "#/required");
        Assert.AreEqual("missing required property \"startedAt\"", error.Message);
    }

    [TestMethod]
    public void Required_ReportsEveryMissingProperty()
    {
        var result = Check("""{ "required": ["a", "b", "c"] }""", """{ "b": 0 }""");
        Assert.HasCount(2, result.Errors);
        Assert.AreEqual("missing required property \"a\"", result.Errors[0].Message);
        Assert.AreEqual("missing required property \"c\"", result.Errors[1].Message);
    }

    [TestMethod]
    public void AdditionalPropertiesFalse_RejectsUnknownProperty()
    {
        const string Schema = """{ "properties": { "id": {} }, "additionalProperties": false }""";
        AssertValid(Schema, """{ "id": 1 }""");
        var error = AssertSingleError(Schema, """{ "id": 1, "extra": true }""", "/extra", "#/additionalProperties");
        Assert.AreEqual("property \"extra\" is not allowed", error.Message);
    }

    [TestMethod]
    public void AdditionalPropertiesSchema_ValidatesOnlyUnlistedProperties()
    {
        const string Schema = """{ "properties": { "id": { "type": "integer" } }, "additionalProperties": { "type": "string" } }""";
        AssertValid(Schema, """{ "id": 1, "label": "x" }""");
        AssertSingleError(Schema, """{ "id": 1, "label": 2 }""", "/label", "#/additionalProperties/type");
    }

    [TestMethod]
    public void PatternProperties_ValidateMatchingNames_AndExemptThemFromAdditionalProperties()
    {
        const string Schema = """
            {
              "patternProperties": { "^env_": { "type": "string" } },
              "additionalProperties": false
            }
            """;
        AssertValid(Schema, """{ "env_PATH": "/bin", "env_HOME": "/root" }""");
        AssertSingleError(Schema, """{ "env_PATH": 1 }""", "/env_PATH", "#/patternProperties/^env_/type");
        AssertSingleError(Schema, """{ "PATH": "/bin" }""", "/PATH", "#/additionalProperties");
    }

    [TestMethod]
    public void PropertyNames_RejectsNameThatFailsTheSchema()
    {
        const string Schema = """{ "propertyNames": { "pattern": "^[a-z]+$", "maxLength": 5 } }""";
        AssertValid(Schema, """{ "abc": 1, "de": 2 }""");
        var error = AssertSingleError(Schema, """{ "abc": 1, "Bad": 2 }""", "/Bad", "#/propertyNames/pattern");
        Assert.Contains("\"Bad\" does not match the pattern ^[a-z]+$", error.Message);
    }

    [TestMethod]
    public void MinPropertiesAndMaxProperties_BoundThePropertyCount()
    {
        const string Schema = """{ "minProperties": 1, "maxProperties": 2 }""";
        AssertValid(Schema, """{ "a": 1 }""");
        AssertValid(Schema, """{ "a": 1, "b": 2 }""");
        var tooFew = AssertSingleError(Schema, "{}", "", "#/minProperties");
        Assert.AreEqual("object has 0 properties but must have at least 1", tooFew.Message);
        AssertSingleError(Schema, """{ "a": 1, "b": 2, "c": 3 }""", "", "#/maxProperties");
    }

    [TestMethod]
    public void DependentRequired_RequiresCompanionOnlyWhenTriggerPresent()
    {
        const string Schema = """{ "dependentRequired": { "exitCode": ["endedAt"] } }""";
        AssertValid(Schema, "{}");
        AssertValid(Schema, """{ "endedAt": "x" }""");
        AssertValid(Schema, """{ "exitCode": 0, "endedAt": "x" }""");
        var error = AssertSingleError(Schema, """{ "exitCode": 0 }""", "", "#/dependentRequired/exitCode");
        Assert.AreEqual("property \"endedAt\" is required when \"exitCode\" is present", error.Message);
    }

    // ---- arrays ----

    [TestMethod]
    public void Items_AppliesToEveryElement()
    {
        const string Schema = """{ "items": { "type": "integer" } }""";
        AssertValid(Schema, "[1, 2, 3]");
        AssertValid(Schema, "[]");
        var result = Check(Schema, """[1, "two", 3, "four"]""");
        Assert.HasCount(2, result.Errors);
        Assert.AreEqual("/1", result.Errors[0].InstancePath);
        Assert.AreEqual("/3", result.Errors[1].InstancePath);
        Assert.AreEqual("#/items/type", result.Errors[0].SchemaPath);
    }

    [TestMethod]
    public void PrefixItems_ValidatePositions_ThenItemsCoversTheRest()
    {
        const string Schema = """{ "prefixItems": [{ "type": "string" }, { "type": "integer" }], "items": { "type": "boolean" } }""";
        AssertValid(Schema, """["a", 1, true, false]""");
        AssertValid(Schema, """["a"]""");
        AssertSingleError(Schema, """[1, 1]""", "/0", "#/prefixItems/0/type");
        AssertSingleError(Schema, """["a", 1, "no"]""", "/2", "#/items/type");
    }

    [TestMethod]
    public void PrefixItemsWithoutItems_AllowsAnyExtraElements()
    {
        AssertValid("""{ "prefixItems": [{ "type": "string" }] }""", """["a", 1, null]""");
        AssertSingleError("""{ "prefixItems": [{ "type": "string" }] }""", "[1]", "/0", "#/prefixItems/0/type");
    }

    [TestMethod]
    public void ItemsFalse_RejectsElementsBeyondPrefixItems()
    {
        const string Schema = """{ "prefixItems": [{}, {}], "items": false }""";
        AssertValid(Schema, "[1, 2]");
        var error = AssertSingleError(Schema, "[1, 2, 3, 4]", "", "#/items");
        Assert.AreEqual("array has 4 items but at most 2 are allowed", error.Message);
    }

    [TestMethod]
    public void MinItemsAndMaxItems_BoundTheLength()
    {
        const string Schema = """{ "minItems": 1, "maxItems": 2 }""";
        AssertValid(Schema, "[1]");
        AssertValid(Schema, "[1, 2]");
        var tooFew = AssertSingleError(Schema, "[]", "", "#/minItems");
        Assert.AreEqual("array has 0 items but must have at least 1", tooFew.Message);
        AssertSingleError(Schema, "[1, 2, 3]", "", "#/maxItems");
    }

    [TestMethod]
    public void UniqueItems_RejectsValuesEqualAsJson()
    {
        const string Schema = """{ "uniqueItems": true }""";
        AssertValid(Schema, """[1, "1", [1], {"a": 1}, {"a": 2}, true, null]""");
        var numbers = AssertSingleError(Schema, "[1, 2, 1.0]", "", "#/uniqueItems");
        Assert.AreEqual("items 0 and 2 are equal but items must be unique", numbers.Message);
        AssertSingleError(Schema, """[{"a": 1, "b": 2}, {"b": 2, "a": 1}]""", "", "#/uniqueItems");
        AssertValid("""{ "uniqueItems": false }""", "[1, 1]");
    }

    [TestMethod]
    public void UniqueItems_FindsDuplicateInLargeArray()
    {
        var items = Enumerable.Range(0, 5000).Select(i => $"{{\"id\": {i}, \"name\": \"n{i}\"}}").ToList();
        items.Add("""{"name": "n1234", "id": 1234}""");
        var error = AssertSingleError("""{ "uniqueItems": true }""", "[" + string.Join(",", items) + "]", "", "#/uniqueItems");
        Assert.AreEqual("items 1234 and 5000 are equal but items must be unique", error.Message);
    }

    // ---- strings ----

    [TestMethod]
    public void MinLengthAndMaxLength_CountUnicodeCodePoints()
    {
        const string Schema = """{ "minLength": 2, "maxLength": 3 }""";
        // Each emoji is one code point but two UTF-16 units; counting units would get these wrong.
        AssertValid(Schema, "\"\uD83D\uDE00\uD83D\uDE00\"");
        AssertValid(Schema, "\"\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\"");
        var tooShort = AssertSingleError(Schema, "\"\uD83D\uDE00\"", "", "#/minLength");
        Assert.AreEqual("string is 1 characters long but must be at least 2", tooShort.Message);
        AssertSingleError(Schema, "\"abcd\"", "", "#/maxLength");
    }

    [TestMethod]
    public void Pattern_SearchesAnywhereUnlessAnchored()
    {
        AssertValid("""{ "pattern": "b+" }""", "\"abbbc\"");
        AssertSingleError("""{ "pattern": "^b+$" }""", "\"abbbc\"", "", "#/pattern");
        AssertValid("""{ "pattern": "^b+$" }""", "42");
    }

    [TestMethod]
    public void Pattern_UsesEcmaScriptDigitClass()
    {
        // In ECMAScript mode \d is ASCII only, as in JavaScript; .NET's default would also accept Arabic-Indic digits.
        const string Schema = """{ "pattern": "^\\d+$" }""";
        AssertValid(Schema, "\"0123\"");
        AssertSingleError(Schema, "\"\u0663\"", "", "#/pattern");
    }

    [TestMethod]
    public void Pattern_SupportsUnicodePropertyClasses()
    {
        const string Schema = """{ "pattern": "^\\p{Lu}+$" }""";
        AssertValid(Schema, "\"ÄBC\"");
        AssertSingleError(Schema, "\"Abc\"", "", "#/pattern");
    }

    // ---- numbers ----

    [TestMethod]
    public void MinimumAndMaximum_AreInclusive()
    {
        const string Schema = """{ "minimum": 0, "maximum": 255 }""";
        AssertValid(Schema, "0");
        AssertValid(Schema, "255");
        AssertValid(Schema, "254.5");
        var low = AssertSingleError(Schema, "-1", "", "#/minimum");
        Assert.AreEqual("-1 is less than the minimum of 0", low.Message);
        var high = AssertSingleError(Schema, "255.01", "", "#/maximum");
        Assert.AreEqual("255.01 is greater than the maximum of 255", high.Message);
    }

    [TestMethod]
    public void ExclusiveMinimumAndExclusiveMaximum_RejectTheBoundItself()
    {
        const string Schema = """{ "exclusiveMinimum": 0, "exclusiveMaximum": 1.5 }""";
        AssertValid(Schema, "0.0001");
        AssertValid(Schema, "1.4999");
        AssertSingleError(Schema, "0", "", "#/exclusiveMinimum");
        AssertSingleError(Schema, "1.50", "", "#/exclusiveMaximum");
    }

    [TestMethod]
    public void NumericLimits_CompareExactly_WhereDoubleOrDecimalWouldRound()
    {
        // decimal parses 1e-50 as 0 and double cannot tell these 20-digit integers apart.
        AssertValid("""{ "exclusiveMinimum": 0 }""", "1e-50");
        AssertSingleError("""{ "maximum": 12345678901234567890 }""", "12345678901234567891", "", "#/maximum");
        AssertValid("""{ "minimum": -1e400 }""", "-1e399");
    }

    [TestMethod]
    public void MultipleOf_AcceptsExactMultiples_IncludingDecimalFractions()
    {
        AssertValid("""{ "multipleOf": 3 }""", "-9");
        AssertSingleError("""{ "multipleOf": 3 }""", "10", "", "#/multipleOf");
        // 0.3 / 0.1 is not an integer in binary floating point; exact arithmetic must still accept it.
        AssertValid("""{ "multipleOf": 0.1 }""", "0.3");
        AssertValid("""{ "multipleOf": 0.01 }""", "19.99");
        var error = AssertSingleError("""{ "multipleOf": 0.1 }""", "0.35", "", "#/multipleOf");
        Assert.AreEqual("0.35 is not a multiple of 0.1", error.Message);
        AssertValid("""{ "multipleOf": 0.5 }""", "1e308");
    }

    // ---- combinators ----

    [TestMethod]
    public void AllOf_RequiresEverySchema_AndReportsEachFailure()
    {
        const string Schema = """{ "allOf": [{ "type": "integer" }, { "minimum": 10 }] }""";
        AssertValid(Schema, "12");
        AssertSingleError(Schema, "5", "", "#/allOf/1/minimum");
        Assert.HasCount(2, Check(Schema, "5.5").Errors);
    }

    [TestMethod]
    public void AnyOf_AcceptsWhenOneMatches_AndExplainsEachAlternativeWhenNone()
    {
        const string Schema = """{ "anyOf": [{ "type": "string" }, { "minimum": 10 }] }""";
        AssertValid(Schema, "\"x\"");
        AssertValid(Schema, "11");
        var error = AssertSingleError(Schema, "3", "", "#/anyOf");
        Assert.AreEqual(
            "value does not match any of the 2 schemas in anyOf: [0] expected string but found integer; [1] 3 is less than the minimum of 10",
            error.Message);
    }

    [TestMethod]
    public void OneOf_RequiresExactlyOneMatch()
    {
        const string Schema = """{ "oneOf": [{ "type": "integer" }, { "minimum": 5 }] }""";
        AssertValid(Schema, "2");
        AssertValid(Schema, "7.5");
        var both = AssertSingleError(Schema, "6", "", "#/oneOf");
        Assert.AreEqual("value matches 2 schemas in oneOf (indexes 0, 1) but must match exactly one", both.Message);
        var none = AssertSingleError(Schema, "1.5", "", "#/oneOf");
        Assert.StartsWith("value does not match any of the 2 schemas in oneOf", none.Message);
    }

    [TestMethod]
    public void Not_RejectsValuesMatchingTheSchema()
    {
        const string Schema = """{ "not": { "type": "null" } }""";
        AssertValid(Schema, "0");
        var error = AssertSingleError(Schema, "null", "", "#/not");
        Assert.AreEqual("value must not match the schema in \"not\"", error.Message);
    }

    [TestMethod]
    public void IfThenElse_AppliesThenWhenIfMatches_ElseOtherwise()
    {
        const string Schema = """
            {
              "if": { "properties": { "status": { "const": "finished" } }, "required": ["status"] },
              "then": { "required": ["exitCode"] },
              "else": { "not": { "required": ["exitCode"] } }
            }
            """;
        AssertValid(Schema, """{ "status": "finished", "exitCode": 0 }""");
        AssertValid(Schema, """{ "status": "running" }""");
        AssertSingleError(Schema, """{ "status": "finished" }""", "", "#/then/required");
        AssertSingleError(Schema, """{ "status": "running", "exitCode": 1 }""", "", "#/else/not");
    }

    [TestMethod]
    public void IfWithoutThenOrElse_NeverFails()
    {
        AssertValid("""{ "if": { "type": "string" } }""", "1");
        AssertValid("""{ "then": false, "else": false }""", "1");
    }

    // ---- $ref ----

    [TestMethod]
    public void Ref_ToDefs_AppliesTheDefinition_AndReportsItsLocation()
    {
        const string Schema = """
            {
              "properties": { "commands": { "type": "array", "items": { "$ref": "#/$defs/command" } } },
              "$defs": { "command": { "properties": { "exitCode": { "type": ["integer", "null"] } } } }
            }
            """;
        AssertValid(Schema, """{ "commands": [{ "exitCode": 0 }, { "exitCode": null }] }""");
        var error = AssertSingleError(Schema, """{ "commands": [{ "exitCode": "0" }] }""", "/commands/0/exitCode", "#/$defs/command/properties/exitCode/type");
        Assert.AreEqual("expected integer or null but found string", error.Message);
    }

    [TestMethod]
    public void Ref_ToDefinitions_IsSupportedForOlderSchemas()
    {
        const string Schema = """{ "$ref": "#/definitions/id", "definitions": { "id": { "type": "string" } } }""";
        AssertValid(Schema, "\"abc\"");
        AssertSingleError(Schema, "1", "", "#/definitions/id/type");
    }

    [TestMethod]
    public void Ref_ToRoot_ValidatesRecursiveStructures()
    {
        const string Schema = """
            {
              "type": "object",
              "required": ["name"],
              "properties": { "name": { "type": "string" }, "children": { "type": "array", "items": { "$ref": "#" } } }
            }
            """;
        AssertValid(Schema, """{ "name": "a", "children": [{ "name": "b", "children": [{ "name": "c" }] }] }""");
        var error = AssertSingleError(Schema, """{ "name": "a", "children": [{ "name": "b", "children": [{ "name": 3 }] }] }""",
            "/children/0/children/0/name", "#/properties/name/type");
        Assert.AreEqual("expected string but found integer", error.Message);
    }

    [TestMethod]
    public void Ref_MutuallyRecursiveDefinitions_Resolve()
    {
        const string Schema = """
            {
              "$ref": "#/$defs/expr",
              "$defs": {
                "expr": { "anyOf": [{ "type": "integer" }, { "$ref": "#/$defs/sum" }] },
                "sum": { "type": "object", "required": ["add"], "properties": { "add": { "type": "array", "items": { "$ref": "#/$defs/expr" } } } }
              }
            }
            """;
        AssertValid(Schema, """{ "add": [1, { "add": [2, 3] }] }""");
        AssertSingleError(Schema, """{ "add": [1, { "add": [2, "x"] }] }""", "", "#/$defs/expr/anyOf");
    }

    [TestMethod]
    public void Ref_UnescapesTildeAndSlashInPointers()
    {
        const string Schema = """
            {
              "properties": { "a": { "$ref": "#/$defs/a~1b~0c" }, "b": { "$ref": "#/$defs/with%20space" } },
              "$defs": { "a/b~c": { "type": "string" }, "with space": { "type": "integer" } }
            }
            """;
        AssertValid(Schema, """{ "a": "x", "b": 1 }""");
        AssertSingleError(Schema, """{ "a": 1 }""", "/a", "#/$defs/a~1b~0c/type");
        AssertSingleError(Schema, """{ "b": "x" }""", "/b", "#/$defs/with space/type");
    }

    [TestMethod]
    public void Ref_SiblingKeywordsStillApply()
    {
        const string Schema = """{ "$ref": "#/$defs/n", "maximum": 10, "$defs": { "n": { "type": "integer" } } }""";
        AssertValid(Schema, "5");
        AssertSingleError(Schema, "11", "", "#/maximum");
        AssertSingleError(Schema, "\"x\"", "", "#/$defs/n/type");
    }

    [TestMethod]
    public void Ref_UsingTheRootIdAsBase_ResolvesLocally()
    {
        const string Schema = """
            {
              "$id": "https://example.test/schemas/manifest.json",
              "properties": { "a": { "$ref": "https://example.test/schemas/manifest.json#/$defs/x" }, "b": { "$ref": "manifest.json#/$defs/x" } },
              "$defs": { "x": { "type": "boolean" } }
            }
            """;
        AssertValid(Schema, """{ "a": true, "b": false }""");
        AssertSingleError(Schema, """{ "b": 1 }""", "/b", "#/$defs/x/type");
    }

    [TestMethod]
    public void Ref_Unresolvable_Throws()
    {
        var ex = AssertSchemaRejected("""{ "properties": { "a": { "$ref": "#/$defs/missing" } } }""", "cannot resolve $ref \"#/$defs/missing\"");
        Assert.AreEqual("#/properties/a/$ref", ex.SchemaPath);
    }

    [TestMethod]
    public void Ref_ToAnotherDocument_Throws()
    {
        AssertSchemaRejected("""{ "$ref": "other.json#/$defs/a" }""", "only references within this schema document");
    }

    [TestMethod]
    public void Ref_ToAnAnchor_Throws()
    {
        AssertSchemaRejected("""{ "$ref": "#node" }""", "anchors are not supported");
    }

    [TestMethod]
    public void Ref_PointingAtANonSchemaValue_Throws()
    {
        AssertSchemaRejected("""{ "enum": [1], "$ref": "#/enum/0" }""", "there is no schema at #/enum/0");
    }

    [TestMethod]
    public void Ref_CycleThatNeverDescendsIntoTheInstance_Throws()
    {
        AssertSchemaRejected("""{ "$ref": "#" }""", "would recurse forever");
        AssertSchemaRejected(
            """{ "$defs": { "a": { "$ref": "#/$defs/b" }, "b": { "allOf": [{ "$ref": "#/$defs/a" }] } } }""",
            "#/$defs/a -> #/$defs/b -> #/$defs/b/allOf/0 -> #/$defs/a");
    }

    // ---- format ----

    [TestMethod]
    public void FormatDateTime_AcceptsRfc3339Timestamps()
    {
        const string Schema = """{ "format": "date-time" }""";
        foreach (var value in new[]
                 {
                     "2024-02-29T12:30:00Z", "2024-01-01T00:00:00.123456+05:30", "1999-12-31t23:59:59z",
                     "2016-12-31T23:59:60Z", "2016-12-31T15:59:60-08:00",
                 })
        {
            AssertValid(Schema, $"\"{value}\"");
        }
    }

    [TestMethod]
    public void FormatDateTime_RejectsMalformedOrImpossibleTimestamps()
    {
        const string Schema = """{ "format": "date-time" }""";
        foreach (var value in new[]
                 {
                     "2023-02-29T12:00:00Z", "2024-13-01T00:00:00Z", "2024-04-31T00:00:00Z", "2024-01-01T24:00:00Z",
                     "2024-01-01T00:00:00", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00+0100",
                     "2024-01-01T12:00:60Z", "2024-1-01T00:00:00Z", "not a date",
                 })
        {
            var error = AssertSingleError(Schema, $"\"{value}\"", "", "#/format");
            Assert.Contains("is not a valid RFC 3339 date-time", error.Message);
        }
    }

    [TestMethod]
    public void FormatUri_AcceptsAbsoluteUris_RejectsRelativeOrMalformed()
    {
        const string Schema = """{ "format": "uri" }""";
        AssertValid(Schema, "\"https://example.com/a/b?c=d#e\"");
        AssertValid(Schema, "\"urn:isbn:0451450523\"");
        AssertValid(Schema, "\"file:///tmp/run%201.json\"");
        AssertSingleError(Schema, "\"/tmp/run.json\"", "", "#/format");
        AssertSingleError(Schema, "\"https://example.com/a b\"", "", "#/format");
        AssertSingleError(Schema, "\"https://example.com/%zz\"", "", "#/format");
        AssertSingleError(Schema, "\"1http://example.com\"", "", "#/format");
    }

    [TestMethod]
    public void FormatUuid_AcceptsHyphenatedHex_RejectsOthers()
    {
        const string Schema = """{ "format": "uuid" }""";
        AssertValid(Schema, "\"123e4567-e89b-12d3-a456-426614174000\"");
        AssertValid(Schema, "\"123E4567-E89B-12D3-A456-426614174000\"");
        AssertSingleError(Schema, "\"123e4567e89b12d3a456426614174000\"", "", "#/format");
        AssertSingleError(Schema, "\"123e4567-e89b-12d3-a456-42661417400g\"", "", "#/format");
    }

    [TestMethod]
    public void Format_AppliesOnlyToStrings()
    {
        AssertValid("""{ "format": "uuid" }""", "12");
    }

    // ---- boolean schemas ----

    [TestMethod]
    public void BooleanSchemas_TrueAcceptsEverything_FalseRejectsEverything()
    {
        AssertValid("true", """{ "anything": [1, "x"] }""");
        var error = AssertSingleError("false", "null", "", "#");
        Assert.AreEqual("no value is allowed here (the schema is false)", error.Message);
        AssertSingleError("""{ "properties": { "forbidden": false } }""", """{ "forbidden": 1 }""", "/forbidden", "#/properties/forbidden");
    }

    // ---- error reporting ----

    [TestMethod]
    public void Errors_ReportNestedInstanceAndSchemaPaths()
    {
        const string Schema = """
            {
              "type": "object",
              "properties": {
                "commands": {
                  "type": "array",
                  "items": { "type": "object", "properties": { "exitCode": { "type": ["integer", "null"] } } }
                }
              }
            }
            """;
        var error = AssertSingleError(Schema, """{ "commands": [{ "exitCode": 0 }, { "exitCode": "1" }] }""",
            "/commands/1/exitCode", "#/properties/commands/items/properties/exitCode/type");
        Assert.AreEqual("expected integer or null but found string", error.Message);
    }

    [TestMethod]
    public void Errors_EscapeTildeAndSlashInPaths()
    {
        const string Schema = """{ "properties": { "a/b~c": { "type": "string" } } }""";
        AssertSingleError(Schema, """{ "a/b~c": 1 }""", "/a~1b~0c", "#/properties/a~1b~0c/type");
    }

    [TestMethod]
    public void Errors_AreAllCollected_NotJustTheFirst()
    {
        const string Schema = """
            {
              "type": "object",
              "required": ["id"],
              "properties": { "name": { "type": "string", "minLength": 3 }, "tags": { "uniqueItems": true } },
              "additionalProperties": false
            }
            """;
        var result = Check(Schema, """{ "name": 7, "tags": [1, 1], "other": true }""");
        CollectionAssert.AreEquivalent(
            new[] { "#/required", "#/properties/name/type", "#/properties/tags/uniqueItems", "#/additionalProperties" },
            result.Errors.Select(e => e.SchemaPath).ToArray(),
            result.ToString());
    }

    [TestMethod]
    public void Errors_AreCappedAtOneHundred()
    {
        string instance = "[" + string.Join(",", Enumerable.Repeat("\"x\"", 500)) + "]";
        var result = Check("""{ "items": { "type": "integer" } }""", instance);
        Assert.IsFalse(result.IsValid);
        Assert.HasCount(100, result.Errors);
        Assert.AreEqual("/99", result.Errors[^1].InstancePath);
    }

    [TestMethod]
    public void InvalidJsonText_IsReportedAsAnError_NotThrown()
    {
        var result = Check("""{ "type": "object" }""", """{ "a": 1,, }""");
        var error = Assert.ContainsSingle(result.Errors);
        Assert.AreEqual("", error.InstancePath);
        Assert.StartsWith("invalid JSON:", error.Message);
        Assert.IsFalse(Check("true", "").IsValid);
    }

    [TestMethod]
    public void Validate_Utf8Bytes_BehavesLikeText()
    {
        var validator = JsonSchemaValidator.Parse("""{ "type": "integer" }""");
        Assert.IsTrue(validator.Validate(Encoding.UTF8.GetBytes("12")).IsValid);
        Assert.IsFalse(validator.Validate(Encoding.UTF8.GetBytes("\"12\"")).IsValid);
        Assert.StartsWith("invalid JSON:", Assert.ContainsSingle(validator.Validate(Encoding.UTF8.GetBytes("{")).Errors).Message);
    }

    [TestMethod]
    public void Validate_JsonElement_UsesTheCallersDocument()
    {
        var validator = JsonSchemaValidator.Parse("""{ "properties": { "n": { "maximum": 3 } } }""");
        using var document = JsonDocument.Parse("""{ "n": 4 }""");
        var error = Assert.ContainsSingle(validator.Validate(document.RootElement).Errors);
        Assert.AreEqual("/n", error.InstancePath);
        Assert.ThrowsExactly<ArgumentException>(() => validator.Validate(default(JsonElement)));
    }

    [TestMethod]
    public void StringWithUnpairedSurrogateEscape_IsReportedNotThrown()
    {
        var result = Check("""{ "properties": { "s": { "minLength": 1 } }, "required": ["x"] }""", """{ "s": "\ud800", "\udc00": 1 }""");
        Assert.IsFalse(result.IsValid);
        Assert.IsTrue(result.Errors.Any(e => e.InstancePath == "/s" && e.Message.Contains("unpaired UTF-16 surrogate")), result.ToString());
    }

    [TestMethod]
    public void ValidationResult_ComparesByErrors_AndPrintsThem()
    {
        var first = Check("""{ "type": "string" }""", "1");
        var second = Check("""{ "type": "string" }""", "1");
        Assert.AreEqual(first, second);
        Assert.AreEqual(first.GetHashCode(), second.GetHashCode());
        Assert.AreEqual("(root): expected string but found integer [#/type]", first.ToString());
        Assert.AreSame(JsonSchemaValidationResult.Success, Check("true", "1"));
        Assert.AreEqual("valid", JsonSchemaValidationResult.Success.ToString());
    }

    // ---- schemas the validator refuses ----

    [TestMethod]
    public void UnsupportedKeyword_Throws()
    {
        var ex = AssertSchemaRejected("""{ "type": "object", "unevaluatedProperties": false }""", "unsupported keyword \"unevaluatedProperties\"");
        Assert.AreEqual("#/unevaluatedProperties", ex.SchemaPath);
    }

    [TestMethod]
    public void UnsupportedKeywordDeepInTheSchema_ThrowsWithItsLocation()
    {
        var ex = AssertSchemaRejected("""{ "$defs": { "list": { "contains": { "const": 1 } } } }""", "unsupported keyword \"contains\"");
        Assert.AreEqual("#/$defs/list/contains", ex.SchemaPath);
    }

    [TestMethod]
    public void UnknownFormat_Throws()
    {
        AssertSchemaRejected("""{ "format": "email" }""", "unsupported format \"email\"");
    }

    [TestMethod]
    public void AnnotationKeywords_AreAcceptedAndIgnored()
    {
        const string Schema = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "https://example.test/s.json",
              "title": "t", "description": "d", "$comment": "c", "examples": [1], "default": 0,
              "deprecated": false, "readOnly": true, "writeOnly": false,
              "type": "integer"
            }
            """;
        AssertValid(Schema, "1");
        AssertSingleError(Schema, "\"1\"", "", "#/type");
    }

    [TestMethod]
    public void MalformedKeywordValues_Throw()
    {
        AssertSchemaRejected("""{ "type": "strng" }""", "unknown type \"strng\"");
        AssertSchemaRejected("""{ "minLength": -1 }""", "must be a non-negative integer");
        AssertSchemaRejected("""{ "maxItems": 1.5 }""", "must be a non-negative integer");
        AssertSchemaRejected("""{ "multipleOf": 0 }""", "multipleOf must be greater than 0");
        AssertSchemaRejected("""{ "required": "id" }""", "must be an array");
        AssertSchemaRejected("""{ "properties": { "a": 1 } }""", "a schema must be an object or a boolean");
        AssertSchemaRejected("""{ "allOf": [] }""", "non-empty array");
        AssertSchemaRejected("""{ "exclusiveMinimum": true }""", "must be a number");
    }

    [TestMethod]
    public void ItemsAsArray_ThrowsAndPointsToPrefixItems()
    {
        AssertSchemaRejected("""{ "items": [{ "type": "string" }] }""", "use \"prefixItems\"");
    }

    [TestMethod]
    public void InvalidRegex_Throws()
    {
        var ex = AssertSchemaRejected("""{ "patternProperties": { "([a-z": {} } }""", "invalid regular expression");
        Assert.AreEqual("#/patternProperties/([a-z", ex.SchemaPath);
    }

    [TestMethod]
    public void SchemaThatIsNotJson_Throws()
    {
        AssertSchemaRejected("""{ "type": """, "not valid JSON");
    }

    [TestMethod]
    public void DuplicateKeywordInSchema_Throws()
    {
        AssertSchemaRejected("""{ "type": "string", "type": "integer" }""", "not valid JSON");
    }

    [TestMethod]
    public void IdInSubschema_Throws()
    {
        AssertSchemaRejected("""{ "$defs": { "a": { "$id": "a.json" } } }""", "$id is only supported on the root schema");
    }

    // ---- loading ----

    [TestMethod]
    public void Load_ReadsSchemaFromFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"schema-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "type": "object", "required": ["id"] }""");
        try
        {
            var validator = JsonSchemaValidator.Load(path);
            Assert.IsTrue(validator.Validate("""{ "id": 1 }""").IsValid);
            Assert.IsFalse(validator.Validate("{}").IsValid);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void Load_InvalidSchema_NamesTheFileInTheMessage()
    {
        string path = Path.Combine(Path.GetTempPath(), $"schema-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "dependencies": {} }""");
        try
        {
            var ex = Assert.ThrowsExactly<JsonSchemaException>(() => JsonSchemaValidator.Load(path));
            Assert.Contains(path, ex.Message);
            Assert.AreEqual("#/dependencies", ex.SchemaPath);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void RepositorySchemas_AllCompile()
    {
        string directory = Path.Combine(AppContext.BaseDirectory, "schemas");
        string[] files = Directory.GetFiles(directory, "*.json");
        // Named explicitly so that a packaging mistake (no schemas copied) fails instead of checking nothing.
        CollectionAssert.IsSubsetOf(
            new[] { "exec-event.json", "manifest.json" },
            files.Select(Path.GetFileName).ToArray(),
            $"schemas copied to {directory}");

        foreach (string file in files)
        {
            // Each schema with all the others as companions, as the runtime loads them: cross-file $refs must resolve.
            Assert.IsNotNull(JsonSchemaValidator.Load(file, files), file);
        }
    }

    // ---- concurrency and size ----

    [TestMethod]
    public void Validate_FromManyThreadsAtOnce_GivesConsistentResults()
    {
        var validator = JsonSchemaValidator.Parse("""
            { "type": "array", "items": { "type": "object", "required": ["n"], "properties": { "n": { "multipleOf": 2, "pattern": "x" } } } }
            """);
        const string Instance = """[{ "n": 2 }, { "n": 3 }, {}, { "n": 4 }]""";
        var expected = validator.Validate(Instance);
        Assert.HasCount(2, expected.Errors);
        var results = new JsonSchemaValidationResult[64];
        Parallel.For(0, results.Length, i => results[i] = validator.Validate(Instance));
        foreach (var result in results)
        {
            Assert.AreEqual(expected, result);
        }
    }

    [TestMethod]
    public void Validate_OneMegabyteManifest_AcceptsItAndPinpointsOneBadCommand()
    {
        var validator = JsonSchemaValidator.Parse("""
            {
              "type": "object",
              "required": ["runId", "commands"],
              "properties": {
                "runId": { "format": "uuid" },
                "commands": {
                  "type": "array",
                  "items": { "$ref": "#/$defs/command" }
                }
              },
              "$defs": {
                "command": {
                  "type": "object",
                  "required": ["id", "argv", "startedAt", "exitCode"],
                  "additionalProperties": false,
                  "properties": {
                    "id": { "type": "string", "pattern": "^cmd-[0-9]+$" },
                    "argv": { "type": "array", "items": { "type": "string", "minLength": 1 }, "minItems": 1 },
                    "startedAt": { "type": "string", "format": "date-time" },
                    "exitCode": { "type": ["integer", "null"], "minimum": -255, "maximum": 255 },
                    "durationMs": { "type": "number", "minimum": 0 },
                    "status": { "enum": ["succeeded", "failed", "cancelled"] }
                  }
                }
              }
            }
            """);
        var text = new StringBuilder("""{ "runId": "123e4567-e89b-12d3-a456-426614174000", "commands": [""");
        int commandCount = 0;
        for (; text.Length < 1_048_576; commandCount++)
        {
            if (commandCount > 0) text.Append(',');
            text.Append($$"""{ "id": "cmd-{{commandCount}}", "argv": ["dotnet", "build", "--configuration", "Release"], "startedAt": "2024-05-01T10:00:00.5Z", "exitCode": 0, "durationMs": {{commandCount}}.25, "status": "succeeded" }""");
        }

        text.Append("]}");
        string manifest = text.ToString();

        var result = validator.Validate(manifest);
        Assert.IsTrue(result.IsValid, result.ToString());

        // One bad value in the last command, a megabyte in, must still be found and located exactly.
        const string GoodExitCode = "\"exitCode\": 0";
        int last = manifest.LastIndexOf(GoodExitCode, StringComparison.Ordinal);
        string broken = manifest[..last] + "\"exitCode\": \"0\"" + manifest[(last + GoodExitCode.Length)..];
        var error = Assert.ContainsSingle(validator.Validate(broken).Errors);
        Assert.AreEqual($"/commands/{commandCount - 1}/exitCode", error.InstancePath);
        Assert.AreEqual("#/$defs/command/properties/exitCode/type", error.SchemaPath);
        Assert.AreEqual("expected integer or null but found string", error.Message);
    }
}
