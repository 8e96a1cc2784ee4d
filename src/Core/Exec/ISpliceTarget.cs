namespace Orchestrator.Core.Exec;

/// <summary>
/// An output observer that, at times, only needs a stream's bytes appended to a file. While it says
/// so, the runtime moves the bytes from the pipe to that file inside the kernel (splice) instead of
/// reading them into memory and delivering them; it reports how many bytes moved. This is what keeps
/// gigabytes of output cheap once the events budget is spent.
/// </summary>
public interface ISpliceTarget
{
    /// <summary>Asked before every transfer; return false to receive the bytes through OnOutput instead.</summary>
    bool TryGetSpliceTarget(OutputStreamKind stream, out int fileDescriptor, out long offset);

    /// <summary><paramref name="count"/> bytes of <paramref name="stream"/> were appended at the offset given.</summary>
    void OnSpliced(OutputStreamKind stream, long count);

    /// <summary>
    /// The file refused a transfer (<paramref name="errno"/>: a full disk, an I/O error): the
    /// exception that reports it, naming the file. The runtime stops recording and the command.
    /// </summary>
    Exception SpliceFailed(OutputStreamKind stream, int errno) =>
        new IOException($"Cannot write the command's {stream} log: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}");
}
