using System.Text.Json.Serialization;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Json;

/// <summary>Source-generated serialization for manifests: indented, camelCase, nulls written so every field is visible.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(RunManifest))]
public sealed partial class ManifestJsonContext : JsonSerializerContext;
