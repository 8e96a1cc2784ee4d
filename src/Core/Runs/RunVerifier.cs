using System.Security.Cryptography;
using System.Text.Json;

namespace Orchestrator.Core.Runs;

/// <summary>
/// Checks a run record: the manifest against schemas/manifest.json, every events.jsonl line against
/// schemas/exec-event.json, and, for a completed run, the events file's SHA-256 and line count
/// against the manifest's <c>eventsSha256</c> and <c>eventCount</c> (an edited, truncated or
/// extended events file is detected). Uses the schemas embedded in this assembly.
/// </summary>
public static class RunVerifier
{
    /// <summary>The problems found, each a sentence naming the file (and line); empty when the record is sound.</summary>
    /// <exception cref="OrchestratorException"><see cref="OrchestratorErrorCode.RunNotFound"/>: no manifest at the path.</exception>
    public static IReadOnlyList<string> Verify(string manifestPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(manifestPath);
        manifestPath = Path.GetFullPath(manifestPath);
        byte[] manifestBytes;
        try
        {
            manifestBytes = File.ReadAllBytes(manifestPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new OrchestratorException(OrchestratorErrorCode.RunNotFound, $"No manifest at '{manifestPath}'.", ex);
        }

        var problems = new List<string>();
        var schemaResult = EmbeddedSchemas.Manifest.Validate(manifestBytes);
        foreach (var error in schemaResult.Errors)
        {
            problems.Add($"{manifestPath}: {error}");
        }

        JsonDocument manifest;
        try
        {
            manifest = JsonDocument.Parse(manifestBytes);
        }
        catch (JsonException)
        {
            return problems; // the schema check already said it is not JSON
        }

        using (manifest)
        {
            var root = manifest.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("eventsPath", out JsonElement eventsPathElement) || eventsPathElement.ValueKind != JsonValueKind.String)
            {
                return problems;
            }

            string eventsPath = Path.GetFullPath(eventsPathElement.GetString()!, Path.GetDirectoryName(manifestPath)!);
            if (!File.Exists(eventsPath))
            {
                problems.Add($"{eventsPath}: the events file the manifest names does not exist");
                return problems;
            }

            long lines = 0;
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            using (var stream = new FileStream(eventsPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024))
            {
                lines = CheckLines(stream, hash, eventsPath, problems);
                bool completed = root.TryGetProperty("completedAt", out JsonElement completedAt) && completedAt.ValueKind == JsonValueKind.String;
                if (completed)
                {
                    string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
                    string? expected = root.TryGetProperty("eventsSha256", out JsonElement sha) && sha.ValueKind == JsonValueKind.String ? sha.GetString() : null;
                    if (!string.Equals(expected, actual, StringComparison.Ordinal))
                    {
                        problems.Add($"{eventsPath}: SHA-256 {actual} does not match the manifest's eventsSha256 {expected ?? "(none)"}: the events file was changed after the run");
                    }

                    if (root.TryGetProperty("eventCount", out JsonElement count) && count.ValueKind == JsonValueKind.Number && count.GetInt64() != lines)
                    {
                        problems.Add($"{eventsPath}: {lines} events, the manifest's eventCount says {count.GetInt64()}");
                    }
                }
            }
        }

        return problems;
    }

    private static long CheckLines(Stream stream, IncrementalHash hash, string eventsPath, List<string> problems)
    {
        byte[] buffer = new byte[64 * 1024];
        var line = new MemoryStream();
        long lineNumber = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            int start = 0;
            for (int i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    continue;
                }

                line.Write(buffer, start, i - start);
                start = i + 1;
                lineNumber++;
                CheckLine(line, lineNumber, eventsPath, problems);
                line.SetLength(0);
            }

            line.Write(buffer, start, read - start);
        }

        if (line.Length > 0)
        {
            lineNumber++;
            problems.Add($"{eventsPath}:{lineNumber}: the last line has no newline (a torn write)");
        }

        return lineNumber;
    }

    private static void CheckLine(MemoryStream line, long lineNumber, string eventsPath, List<string> problems)
    {
        if (problems.Count >= 100)
        {
            return;
        }

        var result = EmbeddedSchemas.ExecEvent.Validate(line.GetBuffer().AsMemory(0, (int)line.Length));
        foreach (var error in result.Errors.Take(5))
        {
            problems.Add($"{eventsPath}:{lineNumber}: {error}");
        }
    }
}
