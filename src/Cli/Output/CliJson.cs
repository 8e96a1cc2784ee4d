using System.Text.Json;
using Orchestrator.Core.Json;

namespace Orchestrator.Cli.Output;

/// <summary>The CLI's documents with the same relaxed encoder as events and manifests (readable quotes, paths and non-ASCII).</summary>
internal static class CliJson
{
    public static CliJsonContext Context { get; } = new(new JsonSerializerOptions(CliJsonContext.Default.Options) { Encoder = JsonDefaults.Encoder });
}
