namespace Orchestrator.Core.Runs;

/// <summary>
/// Keeps a run's manifest.json replaceable many times per second without ever showing a reader a
/// partial file, and without the cost the usual temp-file-and-rename pays on ext4: renaming a
/// regular file over another forces the new data to disk at once (auto_da_alloc) and frees the old
/// file's blocks (a synchronous discard on some mounts), about 0.3 ms per write here. While the run
/// is in progress manifest.json is a symlink to a hidden versioned file written fresh each time; the
/// previous version is unlinked before its data ever reached the disk. The final write replaces the
/// symlink with a regular file, so a finished run directory holds a plain manifest.json.
/// </summary>
internal sealed class ManifestFile
{
    private readonly string _path;
    private readonly string _directory;
    private readonly string _name;
    private string? _currentVersion;
    private long _version;

    public ManifestFile(string path)
    {
        _path = path;
        _directory = Path.GetDirectoryName(path) ?? ".";
        _name = Path.GetFileName(path);
    }

    /// <summary>Replaces the manifest's content atomically.</summary>
    /// <param name="content">The whole new manifest.</param>
    /// <param name="final">The run is over: leave a regular file behind.</param>
    /// <param name="durable">fsync the content before it becomes visible.</param>
    public void Write(ReadOnlySpan<byte> content, bool final, bool durable)
    {
        if (final)
        {
            AtomicFile.Write(_path, content, durable);
        }
        else
        {
            string version = $".{_name}.{++_version}";
            string versionPath = Path.Combine(_directory, version);
            using (var stream = new FileStream(versionPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: durable);
            }

            string link = Path.Combine(_directory, $".{_name}.{Environment.ProcessId}.link");
            File.Delete(link);
            File.CreateSymbolicLink(link, version);
            File.Move(link, _path, overwrite: true);
            DeleteVersion(_currentVersion);
            _currentVersion = version;
            return;
        }

        DeleteVersion(_currentVersion);
        _currentVersion = null;
    }

    private void DeleteVersion(string? version)
    {
        if (version is not null)
        {
            try
            {
                File.Delete(Path.Combine(_directory, version));
            }
            catch (IOException)
            {
                // A leftover hidden version file is harmless; the next write or the final one supersedes it.
            }
        }
    }
}
