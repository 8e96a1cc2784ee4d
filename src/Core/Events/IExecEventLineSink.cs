namespace Orchestrator.Core.Events;

/// <summary>
/// A sink that wants each event as the exact JSONL line written to events.jsonl (with its
/// newline): a door streaming JSONL reuses the run's own serialization instead of doing it again.
/// Called instead of <see cref="IExecEventSink.Emit"/> by the run recorder; the line is only valid
/// during the call.
/// </summary>
public interface IExecEventLineSink : IExecEventSink
{
    void EmitLine(ExecEvent executionEvent, ReadOnlySpan<byte> line);
}
