using Orchestrator.Core.Events;

namespace Orchestrator.Core.Runs;

/// <summary>
/// Hands each event of a run to the door's sinks, in order, after it is in events.jsonl. A sink that
/// throws is dropped and its exception kept: the run and its record go on whatever a door's
/// renderer does. Not thread-safe: the recorder calls it under its emit lock.
/// </summary>
internal sealed class EventFanOut
{
    private readonly IExecEventSink[] _sinks;
    private readonly bool[] _failed;
    private readonly List<Exception> _errors = [];

    public EventFanOut(IEnumerable<IExecEventSink> sinks)
    {
        _sinks = [.. sinks];
        _failed = new bool[_sinks.Length];
    }

    /// <summary>The exceptions of the sinks that were dropped, oldest first.</summary>
    public IReadOnlyList<Exception> Errors => [.. _errors];

    /// <summary>Delivers <paramref name="executionEvent"/>, with its JSONL <paramref name="line"/> for sinks that take the line.</summary>
    public void Deliver(ExecEvent executionEvent, ReadOnlySpan<byte> line)
    {
        for (int i = 0; i < _sinks.Length; i++)
        {
            if (_failed[i])
            {
                continue;
            }

            try
            {
                if (_sinks[i] is IExecEventLineSink lineSink)
                {
                    lineSink.EmitLine(executionEvent, line);
                }
                else
                {
                    _sinks[i].Emit(executionEvent);
                }
            }
            catch (Exception ex)
            {
                _failed[i] = true;
                _errors.Add(ex);
            }
        }
    }
}
