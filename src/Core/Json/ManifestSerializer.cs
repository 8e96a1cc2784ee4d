using System.Buffers;
using System.Text.Json;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Json;

/// <summary>
/// Writes manifests through the generated handler of <see cref="JsonDefaults.Manifest"/> (see
/// <see cref="FastSerializer"/>): indented, the relaxed encoder, byte for byte what
/// <c>JsonSerializer.SerializeToUtf8Bytes(manifest, JsonDefaults.Manifest.RunManifest)</c> writes.
/// </summary>
public static class ManifestSerializer
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JsonDefaults.Encoder };
    private static Action<Utf8JsonWriter, RunManifest>? _handler;

    /// <summary>Serializes <paramref name="manifest"/> into <paramref name="buffer"/> (appended).</summary>
    public static void Write(IBufferWriter<byte> buffer, RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentNullException.ThrowIfNull(manifest);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        (_handler ??= FastSerializer.HandlerFor<RunManifest>(JsonDefaults.Manifest))(writer, manifest);
        writer.Flush();
    }

    public static byte[] SerializeToUtf8Bytes(RunManifest manifest)
    {
        var buffer = new ArrayBufferWriter<byte>(8 * 1024);
        Write(buffer, manifest);
        return buffer.WrittenSpan.ToArray();
    }
}
