namespace Orchestrator.Core.Events;

/// <summary>An <see cref="IExecEventSink"/> over a delegate.</summary>
public sealed class DelegateEventSink(Action<ExecEvent> emit) : IExecEventSink
{
    public void Emit(ExecEvent executionEvent) => emit(executionEvent);
}
