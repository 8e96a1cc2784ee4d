using Orchestrator.Core.Commands;
using Orchestrator.Core.Exec;

namespace Orchestrator.Bench;

/// <summary>
/// Counts the bytes a command printed and, given a file, records them there, as a caller keeping a
/// raw log would: the count is how the benchmarks check that every byte arrived.
/// </summary>
public sealed class CountingObserver(FileStream? file = null) : IProcessOutputObserver, IDisposable
{
    public long Bytes { get; private set; }

    public void OnOutput(OutputStreamKind stream, ReadOnlySpan<byte> data)
    {
        Bytes += data.Length;
        file?.Write(data);
    }

    public void Dispose() => file?.Dispose();

    /// <summary>
    /// Unbuffered: one write per read from the terminal, as the runtime's raw log
    /// (CommandOutputRecorder) and `script` both do, so neither side gains by batching.
    /// </summary>
    public static CountingObserver ToFile(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0));
}
