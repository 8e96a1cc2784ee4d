namespace Orchestrator.Core.Exec;

/// <summary>
/// Receives output as it is read. Called on the process's I/O thread, one call at a time, in the
/// order the bytes were read; the span is only valid for the duration of the call.
/// </summary>
public interface IProcessOutputObserver
{
    void OnOutput(OutputStreamKind stream, ReadOnlySpan<byte> data);
}
