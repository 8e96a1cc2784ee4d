using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Json;

/// <summary>
/// Writes manifests through the generated handler of <see cref="JsonDefaults.Manifest"/> (see
/// <see cref="FastSerializer"/>): indented, the relaxed encoder, byte for byte what
/// <c>JsonSerializer.SerializeToUtf8Bytes(manifest, JsonDefaults.Manifest.RunManifest)</c> writes.
/// </summary>
/// <remarks>
/// A run rewrites its manifest on every state change, so a run of n commands would serialize
/// every earlier command again each time: n² work (a 1,000-command run spent about 11 s of CPU on
/// it). Records are immutable, so the JSON of each command, tool run, approval and output handle
/// is kept per record instance and copied into later manifests: each write then serializes only
/// what changed (and copies the rest).
/// </remarks>
public static class ManifestSerializer
{
    // Below this many commands a plain write is as quick as splicing.
    internal const int SpliceFrom = 4;

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JsonDefaults.Encoder };

    // The lists that grow with the run, in the order the manifest declares them: each as an empty
    // one is written (two-space indentation at depth one), and how to write its elements.
    private static readonly (byte[] Empty, Action<IBufferWriter<byte>, RunManifest> Elements)[] Lists =
    [
        ("\n  \"commands\": []"u8.ToArray(), static (b, m) => WriteList(b, m.Commands)),
        ("\n  \"toolRuns\": []"u8.ToArray(), static (b, m) => WriteList(b, m.ToolRuns)),
        ("\n  \"approvals\": []"u8.ToArray(), static (b, m) => WriteList(b, m.Approvals)),
        ("\n  \"handles\": []"u8.ToArray(), static (b, m) => WriteList(b, m.Handles)),
    ];

    private static Action<Utf8JsonWriter, RunManifest>? _handler;

    /// <summary>Serializes <paramref name="manifest"/> into <paramref name="buffer"/> (appended).</summary>
    public static void Write(IBufferWriter<byte> buffer, RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Commands.Count < SpliceFrom)
        {
            WritePlain(buffer, manifest);
            return;
        }

        // The manifest without its long lists, then the lists put back from kept fragments.
        var skeleton = new ArrayBufferWriter<byte>(4096);
        WritePlain(skeleton, manifest with { Commands = [], ToolRuns = [], Approvals = [], Handles = [] });
        ReadOnlySpan<byte> text = skeleton.WrittenSpan;
        Span<int> at = stackalloc int[Lists.Length];
        for (int i = 0; i < Lists.Length; i++)
        {
            at[i] = text.IndexOf(Lists[i].Empty);
            if (at[i] < 0 || (i > 0 && at[i] < at[i - 1]))
            {
                // Not the layout this splice expects (a field moved): correct, if slower.
                WritePlain(buffer, manifest);
                return;
            }
        }

        int from = 0;
        for (int i = 0; i < Lists.Length; i++)
        {
            // Up to and including the list's '[', then its elements and ']'.
            int bracket = at[i] + Lists[i].Empty.Length - 1;
            buffer.Write(text[from..bracket]);
            Lists[i].Elements(buffer, manifest);
            from = bracket + 1;
        }

        buffer.Write(text[from..]);
    }

    public static byte[] SerializeToUtf8Bytes(RunManifest manifest)
    {
        var buffer = new ArrayBufferWriter<byte>(8 * 1024);
        Write(buffer, manifest);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WritePlain(IBufferWriter<byte> buffer, RunManifest manifest)
    {
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        (_handler ??= FastSerializer.HandlerFor<RunManifest>(JsonDefaults.Manifest))(writer, manifest);
        writer.Flush();
    }

    // Writes "]" when empty, else each element on its own line at depth two, then "\n  ]": the
    // bytes an indented writer puts after "[" for a list of objects one level down.
    private static void WriteList<T>(IBufferWriter<byte> buffer, IReadOnlyList<T> items)
        where T : class
    {
        if (items.Count == 0)
        {
            buffer.Write("]"u8);
            return;
        }

        for (int i = 0; i < items.Count; i++)
        {
            buffer.Write(i == 0 ? "\n    "u8 : ",\n    "u8);
            buffer.Write(Kept<T>.Json.GetValue(items[i], Fragment));
        }

        buffer.Write("\n  ]"u8);
    }

    // The element written alone, then moved two levels in: four spaces after every line break
    // (JSON strings escape their line breaks, so every raw '\n' is the writer's own).
    private static byte[] Fragment<T>(T item)
        where T : class
    {
        var alone = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(alone, WriterOptions))
        {
            Kept<T>.Handler(writer, item);
        }

        ReadOnlySpan<byte> text = alone.WrittenSpan;
        int breaks = text.Count((byte)'\n');
        byte[] moved = new byte[text.Length + (breaks * 4)];
        int at = 0;
        foreach (byte b in text)
        {
            moved[at++] = b;
            if (b == (byte)'\n')
            {
                moved.AsSpan(at, 4).Fill((byte)' ');
                at += 4;
            }
        }

        return moved;
    }

    // Per element type, created on first use: the JSON written for each record instance, and the
    // generated writer for the type.
    private static class Kept<T>
        where T : class
    {
        public static readonly ConditionalWeakTable<T, byte[]> Json = [];

        public static readonly Action<Utf8JsonWriter, T> Handler = FastSerializer.HandlerFor<T>(JsonDefaults.Manifest);
    }
}
