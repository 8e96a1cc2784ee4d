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
    private static readonly ConditionalWeakTable<CommandRecord, byte[]> CommandJson = [];
    private static readonly ConditionalWeakTable<ToolRunRecord, byte[]> ToolRunJson = [];
    private static readonly ConditionalWeakTable<ApprovalRecord, byte[]> ApprovalJson = [];
    private static readonly ConditionalWeakTable<HandleRecord, byte[]> HandleJson = [];

    // The lists that grow with the run, as an empty one is written (two-space indentation at depth
    // one), in the order the manifest declares them.
    private static readonly byte[][] EmptyLists =
    [
        "\n  \"commands\": []"u8.ToArray(),
        "\n  \"toolRuns\": []"u8.ToArray(),
        "\n  \"approvals\": []"u8.ToArray(),
        "\n  \"handles\": []"u8.ToArray(),
    ];

    private static Action<Utf8JsonWriter, RunManifest>? _handler;
    private static Action<Utf8JsonWriter, CommandRecord>? _commandHandler;
    private static Action<Utf8JsonWriter, ToolRunRecord>? _toolRunHandler;
    private static Action<Utf8JsonWriter, ApprovalRecord>? _approvalHandler;
    private static Action<Utf8JsonWriter, HandleRecord>? _handleHandler;

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
        Span<int> at = stackalloc int[EmptyLists.Length];
        for (int i = 0; i < EmptyLists.Length; i++)
        {
            at[i] = text.IndexOf(EmptyLists[i]);
            if (at[i] < 0 || (i > 0 && at[i] < at[i - 1]))
            {
                // Not the layout this splice expects (a field moved): correct, if slower.
                WritePlain(buffer, manifest);
                return;
            }
        }

        int from = 0;
        for (int i = 0; i < EmptyLists.Length; i++)
        {
            // Up to and including the list's '[', then its elements and ']'.
            int bracket = at[i] + EmptyLists[i].Length - 1;
            buffer.Write(text[from..bracket]);
            switch (i)
            {
                case 0:
                    WriteList(buffer, manifest.Commands, CommandJson, static (w, r) => (_commandHandler ??= FastSerializer.HandlerFor<CommandRecord>(JsonDefaults.Manifest))(w, r));
                    break;
                case 1:
                    WriteList(buffer, manifest.ToolRuns, ToolRunJson, static (w, r) => (_toolRunHandler ??= FastSerializer.HandlerFor<ToolRunRecord>(JsonDefaults.Manifest))(w, r));
                    break;
                case 2:
                    WriteList(buffer, manifest.Approvals, ApprovalJson, static (w, r) => (_approvalHandler ??= FastSerializer.HandlerFor<ApprovalRecord>(JsonDefaults.Manifest))(w, r));
                    break;
                default:
                    WriteList(buffer, manifest.Handles, HandleJson, static (w, r) => (_handleHandler ??= FastSerializer.HandlerFor<HandleRecord>(JsonDefaults.Manifest))(w, r));
                    break;
            }

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
    private static void WriteList<T>(IBufferWriter<byte> buffer, IReadOnlyList<T> items, ConditionalWeakTable<T, byte[]> kept, Action<Utf8JsonWriter, T> handler)
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
            buffer.Write(kept.GetValue(items[i], item => Fragment(item, handler)));
        }

        buffer.Write("\n  ]"u8);
    }

    // The element written alone, then moved two levels in: four spaces after every line break
    // (JSON strings escape their line breaks, so every raw '\n' is the writer's own).
    private static byte[] Fragment<T>(T item, Action<Utf8JsonWriter, T> handler)
    {
        var alone = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(alone, WriterOptions))
        {
            handler(writer, item);
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
}
