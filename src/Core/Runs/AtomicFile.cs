namespace Orchestrator.Core.Runs;

/// <summary>
/// Replaces a file atomically: write a temp file in the same directory, flush it, rename it over the
/// target. A reader sees the old or the new content, never a mix, even if the writer is killed.
/// </summary>
public static class AtomicFile
{
    /// <param name="path">The file to replace.</param>
    /// <param name="content">The complete new content.</param>
    /// <param name="durable">Also fsync the data before the rename (survives power loss, costs a disk flush).</param>
    public static void Write(string path, ReadOnlySpan<byte> content, bool durable)
    {
        string directory = Path.GetDirectoryName(path) ?? ".";
        string temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: durable);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
