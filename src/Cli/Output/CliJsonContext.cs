using System.Text.Json.Serialization;

namespace Orchestrator.Cli.Output;

/// <summary>Source-generated JSON for the CLI's own documents (no reflection at start-up).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ExecSummary))]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(VerifyReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
