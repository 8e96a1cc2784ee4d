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
    public static IReadOnlyList<string> Verify(string manifestPath) => Check(manifestPath).Problems;

    /// <summary>
    /// The problems found, and whether the run completed: a run whose manifest has no terminal
    /// status or no <c>completedAt</c>, or whose events.jsonl does not end with <c>run:summary</c>,
    /// never finished (it crashed, was killed, or is still running). Such a record can be sound and
    /// still prove nothing about the run's outcome.
    /// </summary>
    /// <exception cref="OrchestratorException"><see cref="OrchestratorErrorCode.RunNotFound"/>: no manifest at the path.</exception>
    public static RunVerification Check(string manifestPath)
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
            return new RunVerification(problems, "the manifest is not JSON"); // the schema check already said so
        }

        using (manifest)
        {
            var root = manifest.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("eventsPath", out JsonElement eventsPathElement) || eventsPathElement.ValueKind != JsonValueKind.String)
            {
                return new RunVerification(problems, "the manifest names no events file");
            }

            string? status = root.TryGetProperty("status", out JsonElement statusElement) && statusElement.ValueKind == JsonValueKind.String ? statusElement.GetString() : null;
            bool completed = root.TryGetProperty("completedAt", out JsonElement completedAt) && completedAt.ValueKind == JsonValueKind.String;
            string? incomplete = status is null or "in_progress" or "queued"
                ? $"the manifest's status is {status ?? "missing"}: the run never completed"
                : !completed ? "the manifest has no completedAt: the run never completed" : null;

            string eventsPath = Path.GetFullPath(eventsPathElement.GetString()!, Path.GetDirectoryName(manifestPath)!);
            if (!File.Exists(eventsPath))
            {
                problems.Add($"{eventsPath}: the events file the manifest names does not exist");
                return new RunVerification(problems, incomplete ?? "there is no events file");
            }

            long lines = 0;
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            using (var stream = new FileStream(eventsPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024))
            {
                lines = CheckLines(stream, hash, eventsPath, problems, out string? lastType);
                incomplete ??= lastType == "run:summary" ? null
                    : $"{eventsPath} ends {(lastType is null ? "without any event" : $"with {lastType}")}, not run:summary: the run never completed";
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

            return new RunVerification(problems, incomplete);
        }
    }

    private static long CheckLines(Stream stream, IncrementalHash hash, string eventsPath, List<string> problems, out string? lastType)
    {
        lastType = null;
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
                lastType = TypeOf(line);
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

    /// <summary>The event's <c>type</c>, or null when the line is not an event object.</summary>
    private static string? TypeOf(MemoryStream line)
    {
        try
        {
            using var document = JsonDocument.Parse(line.GetBuffer().AsMemory(0, (int)line.Length));
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("type", out JsonElement type) && type.ValueKind == JsonValueKind.String
                ? type.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
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
