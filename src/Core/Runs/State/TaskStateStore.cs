using System.Text;
using Orchestrator.Core.Native;

namespace Orchestrator.Core.Runs.State;

/// <summary>
/// The state history of a task's runs: <c>&lt;state-root&gt;/&lt;task-id&gt;/runs.jsonl</c>, one whole
/// line appended per run state change, never rewritten. An append costs the same with 10 lines as
/// with 100,000: it reads only the end of the file (to check the last line is whole and to number
/// the new one), under an exclusive lock on <c>runs.jsonl.lock</c> shared by every writer in every
/// process, and writes the line with one write to a descriptor opened with O_APPEND.
/// </summary>
/// <remarks>
/// A writer killed mid-write leaves a last line without its newline. The next writer (or
/// <see cref="Open"/>) repairs it under the lock: a tail that is a whole entry only lacking its
/// newline gets one, anything else is cut off. Readers never take the lock: they ignore an
/// unterminated tail (it may be an append in progress) and skip lines that do not parse, each
/// reported once in <see cref="Warnings"/>. See docs/specs/task-state.md.
/// </remarks>
public sealed class TaskStateStore
{
    public const string DefaultDirectoryName = "out";

    public const string FileName = "runs.jsonl";

    public const string LockFileSuffix = ".lock";

    /// <summary>
    /// The longest line the store writes. Bounds what an append reads (the last line) and what a
    /// reader holds per line, so "O(1)" has a number on it.
    /// </summary>
    public const int MaxLineBytes = 64 * 1024;

    /// <summary>Warning: an unterminated last line (an interrupted writer) was cut off.</summary>
    public const string TornLineRemovedCode = "TaskStateTornLineRemoved";

    /// <summary>Warning: an unterminated last line held a whole entry, so it was kept and given its newline.</summary>
    public const string TornLineCompletedCode = "TaskStateTornLineCompleted";

    /// <summary>Warning: a complete line is not a task state entry; readers skip it.</summary>
    public const string UnreadableLineCode = "TaskStateLineUnreadable";

    /// <summary>Warning: a torn last line was found on open but could not be repaired (e.g. a read-only file).</summary>
    public const string RepairFailedCode = "TaskStateRepairFailed";

    /// <summary>Warning: a line names a run or manifest that is not this task's own (<see cref="TaskStateTrust"/>); it was not believed.</summary>
    public const string TamperedCode = "TaskStateTampered";

    /// <summary>Warning: a line names a run whose manifest does not exist (a deleted run folder); it was passed over.</summary>
    public const string ManifestMissingCode = "TaskStateManifestMissing";

    private const int MaxWarnings = 100;
    private const int ForwardChunk = 64 * 1024;

    private readonly Lock _appendGate = new();
    private readonly Lock _warningGate = new();
    private readonly List<RunWarning> _warnings = [];
    private readonly HashSet<string> _warningKeys = new(StringComparer.Ordinal);
    private long _bytesReadForAppends;

    private TaskStateStore(string stateRoot, string taskId)
    {
        StateRoot = Path.GetFullPath(stateRoot);
        TaskId = Runs.TaskId.Validate(taskId);
        TaskDirectory = Path.Combine(StateRoot, TaskId);
        string prefix = StateRoot.EndsWith(Path.DirectorySeparatorChar) ? StateRoot : StateRoot + Path.DirectorySeparatorChar;
        if (!Path.GetFullPath(TaskDirectory).StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidTaskId, $"The task id '{taskId}' would leave '{StateRoot}'.");
        }

        FilePath = Path.Combine(TaskDirectory, FileName);
        LockPath = FilePath + LockFileSuffix;
    }

    public string StateRoot { get; }

    public string TaskId { get; }

    /// <summary><c>&lt;state-root&gt;/&lt;task-id&gt;</c>; manifest paths in the file are relative to it.</summary>
    public string TaskDirectory { get; }

    public string FilePath { get; }

    public string LockPath { get; }

    /// <summary>The state root's parent: trusted as given; the state root and all below it are opened without following links.</summary>
    private string TrustedRoot => Path.GetDirectoryName(StateRoot) ?? StateRoot;

    private static string LockFileName => FileName + LockFileSuffix;

    /// <summary>Repairs and unreadable lines met by this instance, each reported once.</summary>
    public IReadOnlyList<RunWarning> Warnings
    {
        get
        {
            lock (_warningGate)
            {
                return [.. _warnings];
            }
        }
    }

    /// <summary>Bytes the append path has read from the file, over every append of this instance.</summary>
    internal long BytesReadForAppends => Interlocked.Read(ref _bytesReadForAppends);

    /// <summary>The default state root: <c>out</c> at the workspace root (the sibling of <c>.runs</c>).</summary>
    public static string DefaultStateRoot(string startDirectory) =>
        Path.Combine(WorkspaceLocator.FindWorkspaceRoot(startDirectory), DefaultDirectoryName);

    /// <summary>
    /// The store of one task. Validates the task id before anything is touched (throws
    /// <see cref="OrchestratorException"/> with <see cref="OrchestratorErrorCode.InvalidTaskId"/>), creates
    /// nothing, and repairs a torn last line if the file has one.
    /// </summary>
    public static TaskStateStore Open(string stateRoot, string taskId)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateRoot);
        var store = new TaskStateStore(stateRoot, taskId);
        store.RepairIfTorn();
        return store;
    }

    /// <summary>
    /// Appends one state change as one whole line and returns it as stored (its <see cref="TaskStateEntry.Seq"/>
    /// assigned, its manifest path relative to <see cref="TaskDirectory"/>). Creates the directory and
    /// file on first use.
    /// </summary>
    /// <param name="durable">Also fsync the file (and, for its first line, the directory): survives power loss, costs a disk flush.</param>
    public TaskStateEntry Append(TaskStateEntry entry, bool durable = false)
    {
        ArgumentNullException.ThrowIfNull(entry);
        TaskStateEntry normalized = Normalize(entry);
        if (EncodeLine(normalized with { Seq = long.MaxValue }).Length > MaxLineBytes)
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest,
                $"A task state line may be at most {MaxLineBytes} bytes; shorten statusDetail or the ids.");
        }

        lock (_appendGate)
        {
            // Every name below the state root's parent is opened without following a link: a
            // command that replaced runs.jsonl (or out/, or out/<task>/) with a link to a file
            // elsewhere gets an error naming it, and the file elsewhere is never read or cut.
            using SafeDirectory directory = SafeDirectory.Open(TrustedRoot, TaskDirectory, create: true);
            using (FileLock.Acquire(directory, LockFileName))
            {
                int fd = directory.OpenFile(FileName, LibC.O_RDWR | LibC.O_APPEND | LibC.O_CREAT);
                try
                {
                    long size = TaskStateFileIo.Size(fd, FilePath);
                    var scanner = new BackwardLineScanner(fd, size);
                    (long end, TaskStateEntry? last) = RepairTailAndFindLast(fd, scanner, size);
                    Interlocked.Add(ref _bytesReadForAppends, scanner.BytesRead);

                    TaskStateEntry stored = normalized with { Seq = (last?.Seq ?? 0) + 1 };
                    TaskStateFileIo.WriteWhole(fd, FilePath, EncodeLine(stored), end);
                    if (durable)
                    {
                        TaskStateFileIo.Sync(fd, FilePath);
                        if (end == 0)
                        {
                            // Makes the new file's name durable too; best effort, the data itself is already synced.
                            directory.Sync();
                        }
                    }

                    return stored;
                }
                finally
                {
                    LibC.close(fd);
                }
            }
        }
    }

    /// <summary>
    /// The newest entry of the file (the last valid line), or null when there is none. Reads
    /// backwards from the end until a valid line is found: normally one line, whatever the file size.
    /// </summary>
    public TaskStateEntry? Latest() => FindBackward(runId: null);

    /// <summary>
    /// The current state of one run (its last line), or null when the file does not mention it.
    /// Reads backwards until the run's last line: cost grows with how far from the end it is (the
    /// whole file for an unknown run).
    /// </summary>
    public TaskStateEntry? Latest(string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return FindBackward(runId);
    }

    /// <summary>
    /// The current state of the most recently started run: the greatest start time in the run ids
    /// (run ids begin with the UTC start time to the millisecond). Runs started in the same
    /// millisecond (a pipeline and its first child) are told apart by the file: the run whose first
    /// line comes later started later. Reads the whole file, holding one entry and the ids seen.
    /// </summary>
    public TaskStateEntry? LatestRun()
    {
        TaskStateEntry? best = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (TaskStateEntry entry in Entries())
        {
            bool firstLineOfRun = seen.Add(entry.RunId);
            if (best is null || string.Equals(entry.RunId, best.RunId, StringComparison.Ordinal))
            {
                // A later line of the same run is its newer state.
                best = entry;
                continue;
            }

            int byStart = RunId.CompareStartTimes(entry.RunId, best.RunId);
            if (byStart > 0 || (byStart == 0 && firstLineOfRun))
            {
                best = entry;
            }
        }

        return best;
    }

    /// <summary>
    /// The lines <see cref="TaskStateTrust"/> accepts for this runs root, oldest first, each with its
    /// line number; every other line is reported in <see cref="Warnings"/> as <see cref="TamperedCode"/>
    /// with its line number, and skipped.
    /// </summary>
    public IEnumerable<(TaskStateEntry Entry, long Line)> TrustedEntries(string runsRoot, DateTimeOffset? now = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(runsRoot);
        DateTimeOffset at = now ?? DateTimeOffset.UtcNow;
        foreach (var (entry, line) in NumberedEntries())
        {
            string? problem;
            try
            {
                problem = TaskStateTrust.Problem(entry, ResolveManifestPath(entry), runsRoot, TaskId, at);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or OrchestratorException)
            {
                problem = $"its manifestPath cannot be a path ({ex.Message})";
            }

            if (problem is not null)
            {
                Warn(TamperedCode, line, $"line {line} (run '{entry.RunId}', status {Runs.WireNames.Of(entry.Status)}) was not believed: {problem}");
                continue;
            }

            yield return (entry, line);
        }
    }

    /// <summary>
    /// As <see cref="LatestRun"/>, but believing only lines <see cref="TaskStateTrust"/> accepts for
    /// this runs root, and only runs whose manifest exists: every other line is reported in
    /// <see cref="Warnings"/> (<see cref="TamperedCode"/> or <see cref="ManifestMissingCode"/>, with
    /// its line number) and passed over, so the answer is the latest run that can be shown.
    /// Memory is one entry per run.
    /// </summary>
    /// <param name="runsRoot">The runs root the task's runs are under (full path, or relative to the current directory).</param>
    /// <param name="now">The time a run id may not start after (plus <see cref="TaskStateTrust.MaxClockSkew"/>); default: now.</param>
    public TaskStateEntry? LatestTrustedRun(string runsRoot, DateTimeOffset? now = null)
    {
        var current = new Dictionary<string, (TaskStateEntry Entry, long Line)>(StringComparer.Ordinal);
        foreach (var (entry, line) in TrustedEntries(runsRoot, now))
        {
            // Updating in place keeps first-appearance order, which breaks ties of start time below.
            current[entry.RunId] = (entry, line);
        }

        var candidates = current.Values.ToList();
        while (candidates.Count > 0)
        {
            int best = 0;
            for (int i = 1; i < candidates.Count; i++)
            {
                if (Runs.RunId.CompareStartTimes(candidates[i].Entry.RunId, candidates[best].Entry.RunId) >= 0)
                {
                    best = i;
                }
            }

            var (latest, latestLine) = candidates[best];
            if (File.Exists(ResolveManifestPath(latest)))
            {
                return latest;
            }

            Warn(ManifestMissingCode, latestLine, $"line {latestLine} names run '{latest.RunId}', whose manifest {ResolveManifestPath(latest)} does not exist");
            candidates.RemoveAt(best);
        }

        return null;
    }

    /// <summary>
    /// The runs whose current state (their last line) has <paramref name="status"/>, in the order the
    /// runs first appear in the file. Reads the whole file once, streaming; memory is one entry per run.
    /// </summary>
    public IReadOnlyList<TaskStateEntry> RunsByStatus(RunStatus status)
    {
        var current = new Dictionary<string, TaskStateEntry>(StringComparer.Ordinal);
        foreach (TaskStateEntry entry in Entries())
        {
            // Updating in place (never removing) keeps first-appearance order when enumerating.
            current[entry.RunId] = entry;
        }

        return [.. current.Values.Where(e => e.Status == status)];
    }

    /// <summary>
    /// Every valid line, oldest first, read in 64 KiB chunks. Lines appended after the enumeration
    /// starts are not included; an unterminated tail is ignored; lines that do not parse are skipped
    /// (and reported in <see cref="Warnings"/>).
    /// </summary>
    public IEnumerable<TaskStateEntry> Entries() => NumberedEntries().Select(e => e.Entry);

    /// <summary>As <see cref="Entries"/>, each with its 1-based line number in the file (for reports that name the line).</summary>
    internal IEnumerable<(TaskStateEntry Entry, long Line)> NumberedEntries()
    {
        int fd = OpenFile(LibC.O_RDONLY, mustExist: true);
        if (fd < 0)
        {
            yield break;
        }

        try
        {
            long size = TaskStateFileIo.Size(fd, FilePath);
            byte[] chunk = new byte[ForwardChunk];
            byte[] pending = new byte[1024];
            int pendingLength = 0;
            long pendingStart = 0;
            bool skippingLongLine = false;
            long lineNumber = 0;
            var parsed = new List<(TaskStateEntry, long)>();
            for (long offset = 0; offset < size;)
            {
                int read = TaskStateFileIo.ReadAt(fd, chunk.AsSpan(0, (int)Math.Min(chunk.Length, size - offset)), offset);
                if (read == 0)
                {
                    break;
                }

                int lineFrom = 0;
                while (lineFrom < read)
                {
                    int newline = chunk.AsSpan(lineFrom, read - lineFrom).IndexOf((byte)'\n');
                    int take = newline < 0 ? read - lineFrom : newline;
                    if (newline >= 0 && pendingLength == 0 && !skippingLongLine)
                    {
                        // The usual case: the whole line is inside this chunk, parse it in place.
                        lineNumber++;
                        if (TryParseLine(chunk.AsSpan(lineFrom, take), pendingStart, out TaskStateEntry? inPlace))
                        {
                            parsed.Add((inPlace, lineNumber));
                        }

                        lineFrom += newline + 1;
                        pendingStart = offset + lineFrom;
                        continue;
                    }

                    if (!skippingLongLine)
                    {
                        if (pendingLength + take > MaxLineBytes * 4)
                        {
                            Warn(UnreadableLineCode, pendingStart, $"the line at byte {pendingStart} is longer than {MaxLineBytes * 4} bytes; it was skipped");
                            skippingLongLine = true;
                            pendingLength = 0;
                        }
                        else
                        {
                            AppendBytes(ref pending, ref pendingLength, chunk.AsSpan(lineFrom, take));
                        }
                    }

                    if (newline < 0)
                    {
                        break;
                    }

                    lineNumber++;
                    if (!skippingLongLine && TryParseLine(pending.AsSpan(0, pendingLength), pendingStart, out TaskStateEntry? entry))
                    {
                        parsed.Add((entry, lineNumber));
                    }

                    skippingLongLine = false;
                    pendingLength = 0;
                    lineFrom += newline + 1;
                    pendingStart = offset + lineFrom;
                }

                offset += read;
                foreach (var entry in parsed)
                {
                    yield return entry;
                }

                parsed.Clear();
            }

            // Whatever is left in 'pending' has no newline yet: an append in progress, or a torn
            // line the next writer repairs. Neither is an entry.
        }
        finally
        {
            LibC.close(fd);
        }
    }

    /// <summary>The full path of the entry's manifest.</summary>
    public string ResolveManifestPath(TaskStateEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Path.GetFullPath(entry.ManifestPath, TaskDirectory);
    }

    /// <summary>The line the store writes for an entry, newline included (benchmarks and tests prefill files with it).</summary>
    internal static byte[] EncodeLine(TaskStateEntry entry) => TaskStateLineCodec.Encode(entry);

    /// <summary>Builds the line reader's metadata off the run's thread (<see cref="Warmup"/>).</summary>
    internal static void Prepare() => TaskStateLineCodec.Prepare();

    private TaskStateEntry Normalize(TaskStateEntry entry)
    {
        Runs.RunId.Validate(entry.RunId);
        if (entry.ParentRunId is not null)
        {
            Runs.RunId.Validate(entry.ParentRunId);
        }

        if (!Enum.IsDefined(entry.Status) || !Enum.IsDefined(entry.Runner))
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest, $"Unknown status '{entry.Status}' or runner '{entry.Runner}'.");
        }

        if (string.IsNullOrEmpty(entry.ManifestPath))
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest, "A task state entry needs the run's manifest path.");
        }

        // Relative to the state file's directory, so the workspace (.runs and out together) can move.
        string manifest = Path.IsPathRooted(entry.ManifestPath)
            ? Path.GetRelativePath(TaskDirectory, Path.GetFullPath(entry.ManifestPath))
            : entry.ManifestPath;
        return entry with { ManifestPath = manifest.Replace('\\', '/') };
    }

    /// <summary>
    /// Under the lock: makes the file end with a whole line and finds the last valid entry. Reads
    /// only the torn tail (if any) and the lines back to the last valid one, normally one line.
    /// </summary>
    private (long End, TaskStateEntry? Last) RepairTailAndFindLast(int fd, BackwardLineScanner scanner, long size)
    {
        if (size == 0)
        {
            return (0, null);
        }

        long end = size;
        if (scanner.ByteAt(size - 1) != (byte)'\n')
        {
            long tailStart = scanner.LastNewlineBefore(size) + 1;
            ReadOnlySpan<byte> tail = scanner.Slice(tailStart, size);
            if (TaskStateLineCodec.TryParse(tail, out TaskStateEntry? whole, out _))
            {
                // The writer got the whole object out and was stopped before its newline: keep it.
                TaskStateFileIo.WriteWhole(fd, FilePath, "\n"u8.ToArray(), size);
                Warn(TornLineCompletedCode, tailStart,
                    $"the last line (byte {tailStart}) had no newline but held a whole entry (run {whole.RunId}, seq {whole.Seq}); the newline was added");
                return (size + 1, whole);
            }

            string preview = TaskStateLineCodec.Preview(tail);
            TaskStateFileIo.Truncate(fd, FilePath, tailStart);
            Warn(TornLineRemovedCode, tailStart,
                $"the last line (byte {tailStart}, {size - tailStart} bytes) was incomplete, left by an interrupted writer; it was removed: {preview}");
            end = tailStart;
        }

        for (long cursor = end; cursor > 0;)
        {
            long lineStart = scanner.LastNewlineBefore(cursor - 1) + 1;
            if (TryParseLine(scanner.Slice(lineStart, cursor - 1), lineStart, out TaskStateEntry? entry))
            {
                return (end, entry);
            }

            cursor = lineStart;
        }

        return (end, null);
    }

    private TaskStateEntry? FindBackward(string? runId)
    {
        int fd = OpenFile(LibC.O_RDONLY, mustExist: true);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            long size = TaskStateFileIo.Size(fd, FilePath);
            if (size == 0)
            {
                return null;
            }

            var scanner = new BackwardLineScanner(fd, size);
            // An unterminated tail may be an append in progress: ignore it, never repair without the lock.
            long end = scanner.ByteAt(size - 1) == (byte)'\n' ? size : scanner.LastNewlineBefore(size) + 1;
            byte[]? needle = runId is null ? null : Encoding.UTF8.GetBytes(runId);
            for (long cursor = end; cursor > 0;)
            {
                long lineStart = scanner.LastNewlineBefore(cursor - 1) + 1;
                ReadOnlySpan<byte> line = scanner.Slice(lineStart, cursor - 1);
                if ((needle is null || line.IndexOf(needle) >= 0)
                    && TryParseLine(line, lineStart, out TaskStateEntry? entry)
                    && (runId is null || entry.RunId == runId))
                {
                    return entry;
                }

                cursor = lineStart;
            }

            return null;
        }
        finally
        {
            LibC.close(fd);
        }
    }

    private void RepairIfTorn()
    {
        // Cheap check first, without the lock: most opens find a file ending in '\n'.
        int fd = OpenFile(LibC.O_RDONLY, mustExist: true);
        if (fd < 0)
        {
            return;
        }

        try
        {
            long size = TaskStateFileIo.Size(fd, FilePath);
            if (size == 0 || new BackwardLineScanner(fd, size).ByteAt(size - 1) == (byte)'\n')
            {
                return;
            }
        }
        finally
        {
            LibC.close(fd);
        }

        try
        {
            lock (_appendGate)
            {
                using SafeDirectory? directory = SafeDirectory.TryOpen(TrustedRoot, TaskDirectory, create: false);
                if (directory is null)
                {
                    return;
                }

                using (FileLock.Acquire(directory, LockFileName))
                {
                    fd = directory.OpenFile(FileName, LibC.O_RDWR | LibC.O_APPEND);
                    if (fd < 0)
                    {
                        return;
                    }

                    try
                    {
                        // Checked again under the lock: the tail seen above may have been an append in progress.
                        long size = TaskStateFileIo.Size(fd, FilePath);
                        RepairTailAndFindLast(fd, new BackwardLineScanner(fd, size), size);
                    }
                    finally
                    {
                        LibC.close(fd);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Warn(RepairFailedCode, -1, $"its last line is incomplete and could not be repaired ({ex.Message}); readers ignore it");
        }
    }

    private bool TryParseLine(ReadOnlySpan<byte> line, long offset, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TaskStateEntry? entry)
    {
        if (line.Trim(" \t\r"u8).IsEmpty)
        {
            entry = null;
            return false;
        }

        if (TaskStateLineCodec.TryParse(line, out entry, out string? reason))
        {
            return true;
        }

        Warn(UnreadableLineCode, offset, $"the line at byte {offset} is not a task state entry ({reason}); it was skipped: {TaskStateLineCodec.Preview(line)}");
        return false;
    }

    private void Warn(string code, long offset, string detail)
    {
        lock (_warningGate)
        {
            // One report per problem and place, however often readers pass over it.
            if (_warnings.Count >= MaxWarnings || !_warningKeys.Add($"{code}@{offset}:{detail}"))
            {
                return;
            }

            _warnings.Add(new RunWarning(code, $"{FilePath}: {detail}."));
        }
    }

    /// <summary>
    /// Opens the file for reading (or a repair) without following a link anywhere below the state
    /// root's parent; -1 when it (or its directory) does not exist.
    /// </summary>
    private int OpenFile(int flags, bool mustExist)
    {
        using SafeDirectory? directory = SafeDirectory.TryOpen(TrustedRoot, TaskDirectory, create: !mustExist);
        return directory is null ? -1 : directory.OpenFile(FileName, flags);
    }

    private static void AppendBytes(ref byte[] buffer, ref int length, ReadOnlySpan<byte> bytes)
    {
        if (length + bytes.Length > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + bytes.Length));
        }

        bytes.CopyTo(buffer.AsSpan(length));
        length += bytes.Length;
    }



}
