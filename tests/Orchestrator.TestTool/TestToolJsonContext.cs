using System.Text.Json.Serialization;
using Orchestrator.Core.Instructions;

namespace Orchestrator.TestTool;

/// <summary>Source-generated JSON for what the test tool prints, camelCase like every Orchestrator file.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(InstructionSet))]
internal sealed partial class TestToolJsonContext : JsonSerializerContext;
