using System.Text.Json.Serialization;

namespace Orchestrator.Core.Diagnostics;

/// <summary>Source-generated JSON for the diagnostics report: camelCase, indented.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(DiagnosticsReport))]
internal sealed partial class DiagnosticsJsonContext : JsonSerializerContext;
