using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Orchestrator.Core.Json;
using Orchestrator.Core.Native;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Orchestration.Approvals;

/// <summary>
/// Approvals shared across runs and processes: a JSON Lines file (by default under the runs root)
/// that grants are appended to, one whole line each, under an exclusive lock, so concurrent
/// writers (MSBuild -m, parallel jobs) never interleave. Readers keep an index keyed by approval
/// key and only read what was appended since they last looked, so a lookup costs the same with 10
/// entries as with 100,000. A file that does not parse is moved aside (kept, renamed
/// <c>.corrupt-&lt;time&gt;</c>), reported as a warning, and the cache starts empty.
/// </summary>
public sealed class ApprovalCache
{
    public const string DefaultFileName = "approvals.jsonl";

    private static readonly ConcurrentDictionary<string, ApprovalCache> Shared = new(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<ApprovalCacheEntry>> _index = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];
    private long _loadedLength;
    private long _loadedModifiedNs;
    private ulong? _loadedInode;

    private ApprovalCache(string path)
    {
        Path = path;
    }

    public string Path { get; }

    private string FileName => System.IO.Path.GetFileName(Path);

    private string LockFileName => FileName + ".lock";

    /// <summary>
    /// The cache's directory (by default the runs root), reached from its parent without following
    /// a link, like every record: a link planted at the file, its lock or the directory is refused.
    /// </summary>
    private SafeDirectory? OpenDirectory(bool create) =>
        create
            ? SafeDirectory.OpenRecordRoot(System.IO.Path.GetDirectoryName(Path)!, create: true)
            : SafeDirectory.TryOpen(System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(Path)!) ?? "/", System.IO.Path.GetDirectoryName(Path)!, create: false);

    /// <summary>Problems met while reading the file (a corrupt file moved aside), for the run's manifest.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_gate)
            {
                return [.. _warnings];
            }
        }
    }

    /// <summary>The process-wide instance for a file, so every run of a build shares one index.</summary>
    public static ApprovalCache Open(string path) => Shared.GetOrAdd(System.IO.Path.GetFullPath(path), p => new ApprovalCache(p));

    /// <summary>The newest approval that applies to the subject now, if any.</summary>
    public ApprovalCacheEntry? Find(ApprovalSubject subject, DateTimeOffset now)
    {
        lock (_gate)
        {
            Refresh();
            if (!_index.TryGetValue(subject.Key, out var entries))
            {
                return null;
            }

            for (int i = entries.Count - 1; i >= 0; i--)
            {
                if (entries[i].AppliesTo(subject, now))
                {
                    return entries[i];
                }
            }

            return null;
        }
    }

    /// <summary>Stores an approval. One-shot approvals are never stored.</summary>
    public ApprovalCacheEntry? Grant(ApprovalSubject subject, ApprovalScope scope, string actor, string? reason, DateTimeOffset now, DateTimeOffset? expiresAt = null)
    {
        if (scope == ApprovalScope.Once)
        {
            return null;
        }

        var entry = new ApprovalCacheEntry
        {
            Key = subject.Key,
            Action = subject.Action,
            Command = subject.Display,
            WorkingTree = subject.WorkingTree,
            Scope = scope,
            TaskId = subject.TaskId,
            RunId = subject.RunId,
            Actor = actor,
            GrantedAt = now,
            ExpiresAt = expiresAt,
            Reason = reason,
        };

        byte[] line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, ApprovalJsonContext.Default.ApprovalCacheEntry) + "\n");
        lock (_gate)
        {
            using SafeDirectory directory = OpenDirectory(create: true)!;
            using (FileLock.Acquire(directory, LockFileName))
            {
                // Read what others appended first, so a corrupt file is set aside rather than appended to.
                Refresh(lockHeld: true);
                using var file = directory.OpenFileHandle(FileName, Native.LibC.O_WRONLY | Native.LibC.O_APPEND | Native.LibC.O_CREAT);
                using var stream = new FileStream(file, FileAccess.Write, bufferSize: 0);
                long before = stream.Length;
                try
                {
                    stream.Write(line);
                }
                catch (IOException)
                {
                    // A line cut short (a full disk) would make the whole cache unreadable: cut it off.
                    stream.SetLength(before);
                    throw;
                }
            }

            Refresh();
        }

        return entry;
    }

    /// <summary>
    /// Brings the index up to date with the file: reads appended lines only, reloads if the file was
    /// replaced. A line that does not parse, or an unterminated last line, is only called corruption
    /// under the writers' lock (without it, the last line may simply be mid-append).
    /// </summary>
    private void Refresh(bool lockHeld = false)
    {
        using SafeDirectory? directory = OpenDirectory(create: false);
        if (directory?.Identity(FileName) is not var (inode, size, modified, _))
        {
            Reset();
            return;
        }

        if (inode == _loadedInode && size == _loadedLength && modified == _loadedModifiedNs)
        {
            return;
        }

        if (inode != _loadedInode || size < _loadedLength)
        {
            Reset();
        }

        byte[] appended;
        using (var file = directory.OpenFileHandle(FileName, Native.LibC.O_RDONLY))
        using (var stream = new FileStream(file, FileAccess.Read, bufferSize: 0))
        {
            stream.Seek(_loadedLength, SeekOrigin.Begin);
            appended = new byte[Math.Max(0, stream.Length - _loadedLength)];
            stream.ReadExactly(appended);
        }

        int consumed = 0;
        while (consumed < appended.Length)
        {
            int newline = Array.IndexOf(appended, (byte)'\n', consumed);
            int end = newline < 0 ? appended.Length : newline;
            var span = new ReadOnlySpan<byte>(appended, consumed, end - consumed);
            if (newline < 0 || !TryParse(span, out var entry))
            {
                if (!lockHeld)
                {
                    using (FileLock.Acquire(directory, LockFileName))
                    {
                        Reset();
                        Refresh(lockHeld: true);
                    }

                    return;
                }

                SetAside(directory, newline < 0 ? "its last line is incomplete" : $"a line does not parse as an approval: {Truncate(span)}");
                return;
            }

            Add(entry!);
            consumed = newline + 1;
        }

        _loadedLength += consumed;
        _loadedModifiedNs = modified;
        _loadedInode = inode;
    }

    private void SetAside(SafeDirectory directory, string why)
    {
        string asideName = $"{FileName}.corrupt-{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmssfff'Z'}";
        string aside = System.IO.Path.Combine(directory.FullPath, asideName);
        try
        {
            directory.Rename(FileName, asideName);
            _warnings.Add($"The approval cache '{Path}' was unreadable ({why}); it was moved to '{aside}' and approvals start empty.");
        }
        catch (IOException ex)
        {
            _warnings.Add($"The approval cache '{Path}' was unreadable ({why}) and could not be moved aside ({ex.Message}); approvals start empty.");
        }

        Reset();
    }

    private void Reset()
    {
        _index.Clear();
        _loadedLength = 0;
        _loadedModifiedNs = 0;
        _loadedInode = null;
    }

    private void Add(ApprovalCacheEntry entry)
    {
        if (!_index.TryGetValue(entry.Key, out var list))
        {
            list = [];
            _index[entry.Key] = list;
        }

        list.Add(entry);
    }

    private static bool TryParse(ReadOnlySpan<byte> line, out ApprovalCacheEntry? entry)
    {
        entry = null;
        try
        {
            entry = JsonSerializer.Deserialize(line, ApprovalJsonContext.Default.ApprovalCacheEntry);
            return entry is not null && entry.Key.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Truncate(ReadOnlySpan<byte> line)
    {
        string text = Encoding.UTF8.GetString(line);
        return text.Length <= 80 ? text : text[..80] + "...";
    }
}
