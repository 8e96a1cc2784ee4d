using System.Buffers;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Json;

namespace Orchestrator.Core.Runs.State;

/// <summary>One line of runs.jsonl and back: the entry as compact JSON and a newline, and a reader that says why a line is not an entry.</summary>
internal static class TaskStateLineCodec
{
    private static readonly TaskStateJsonContext Json =
        new(new JsonSerializerOptions(TaskStateJsonContext.Default.Options) { Encoder = JsonDefaults.Encoder });

    private static readonly JsonWriterOptions LineWriterOptions = new() { Encoder = JsonDefaults.Encoder };

    private static Action<Utf8JsonWriter, TaskStateEntry>? _writeEntry;

    /// <summary>The line for an entry, newline included.</summary>
    public static byte[] Encode(TaskStateEntry entry)
    {
        // Through the generated writer (see FastSerializer): every run appends, and a CLI call is one run.
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, LineWriterOptions))
        {
            (_writeEntry ??= FastSerializer.HandlerFor<TaskStateEntry>(Json))(writer, entry);
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads one entry, so the first append of a process (which reads the file's last line back)
    /// finds the reader's metadata built: <see cref="Warmup"/> calls it off the run's thread.
    /// </summary>
    public static void Prepare() =>
        TryParse("""{"runId":"r","status":"succeeded","timestamp":"2026-01-01T00:00:00.000Z","runner":"cli","manifestPath":"m","seq":1}"""u8, out _, out _);

    public static bool TryParse(ReadOnlySpan<byte> line, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TaskStateEntry? entry, out string? reason)
    {
        entry = null;
        try
        {
            entry = JsonSerializer.Deserialize(line, Json.TaskStateEntry);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            reason = ex.Message;
            return false;
        }

        if (entry is null)
        {
            reason = "null";
            return false;
        }

        reason = entry switch
        {
            _ when string.IsNullOrEmpty(entry.RunId) => "no runId",
            _ when string.IsNullOrEmpty(entry.ManifestPath) => "no manifestPath",
            _ when !Enum.IsDefined(entry.Status) => $"unknown status {(int)entry.Status}",
            _ when !Enum.IsDefined(entry.Runner) => $"unknown runner {(int)entry.Runner}",
            _ => null,
        };
        if (reason is not null)
        {
            entry = null;
            return false;
        }

        return true;
    }

    public static string Preview(ReadOnlySpan<byte> line)
    {
        string text = Encoding.UTF8.GetString(line[..Math.Min(line.Length, 120)]);
        return line.Length <= 120 ? text : text + "...";
    }
}
