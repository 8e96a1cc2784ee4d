namespace Orchestrator.Core.Events;

/// <summary>
/// Receives a run's events in order. Called synchronously on the thread that produced the event
/// (often a process I/O thread), so an implementation must be quick and must not block on the
/// run; doors that need another thread (an MSBuild task logging from its own thread) queue.
/// </summary>
public interface IExecEventSink
{
    void Emit(ExecEvent executionEvent);
}
