using System.Text.Encodings.Web;
using System.Text.Json;

namespace Orchestrator.Core.Json;

/// <summary>
/// The serializer contexts the product writes with. The relaxed encoder keeps <c>&gt;</c>, <c>&amp;</c>
/// and non-ASCII text readable in files and JSONL (nothing we write is embedded in HTML); control
/// characters are still escaped.
/// </summary>
public static class JsonDefaults
{
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static EventJsonContext Events { get; } = new(new JsonSerializerOptions(EventJsonContext.Default.Options) { Encoder = Encoder });

    public static ManifestJsonContext Manifest { get; } = new(new JsonSerializerOptions(ManifestJsonContext.Default.Options) { Encoder = Encoder });

    // Computed, not stored: a writer created before the first event (the CLI's JSONL sink) must not
    // wait for the contexts above to be built, which the warm-up is doing on another thread.
    public static JsonWriterOptions EventWriterOptions => new() { Encoder = Encoder, SkipValidation = true };
}
