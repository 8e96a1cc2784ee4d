using System.Diagnostics;

namespace Orchestrator.Core.Telemetry;

/// <summary>
/// How a run's exports are going, shared by its trace and metric exporters: what the endpoint
/// accepted, what failed and why, and whether telemetry is off for the rest of the run. Failures
/// in a row are counted across both signals, since they reach the same endpoint.
/// </summary>
internal sealed class ExportHealth(int maxConsecutiveFailures)
{
    private readonly Lock _gate = new();
    private int _failures;
    private int _consecutive;
    private string? _lastReason;
    private volatile bool _disabled;
    private long _spans;
    private long _points;
    private long _deadline = long.MaxValue;

    public bool Disabled => _disabled;

    public void RecordSuccess(OtlpSignal signal, long items)
    {
        lock (_gate)
        {
            _consecutive = 0;
        }

        Interlocked.Add(ref signal == OtlpSignal.Traces ? ref _spans : ref _points, items);
    }

    /// <summary>Counts a failed attempt; returns true when telemetry is now (or already was) off for the run.</summary>
    public bool RecordFailure(string reason)
    {
        lock (_gate)
        {
            return Fail(reason);
        }
    }

    /// <summary>
    /// Counts the final flush running out of time. When the attempts before it had failed too, their
    /// reason stays in the record beside it: "did not finish" alone would hide that the endpoint
    /// was refusing all along.
    /// </summary>
    public void RecordFlushOutOfTime(string reason)
    {
        lock (_gate)
        {
            Fail(_consecutive > 0 ? $"{reason} (the attempt before failed: {_lastReason})" : reason);
        }
    }

    /// <summary>Counts one failure in a row (the caller holds the gate); true when telemetry is now off for the run.</summary>
    private bool Fail(string reason)
    {
        _failures++;
        _consecutive++;
        _lastReason = reason;
        if (_consecutive >= maxConsecutiveFailures)
        {
            _disabled = true;
        }

        return _disabled;
    }

    /// <summary>Turns telemetry off at once (the pipeline itself broke); the reason becomes the last failure.</summary>
    public void Disable(string reason)
    {
        lock (_gate)
        {
            _failures++;
            _lastReason = reason;
            _disabled = true;
        }
    }

    /// <summary>From now on no retry waits past this moment (<see cref="Stopwatch.GetTimestamp"/> units): the run is flushing.</summary>
    public void SetDeadline(long timestamp) => Interlocked.Exchange(ref _deadline, timestamp);

    /// <summary>Whether a backoff of this length still ends before the flush deadline.</summary>
    public bool HasTimeFor(TimeSpan wait)
    {
        long deadline = Interlocked.Read(ref _deadline);
        return deadline == long.MaxValue || Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency) < deadline;
    }

    public (long Spans, long Points, TelemetryFailures Failures, bool Disabled) Snapshot()
    {
        lock (_gate)
        {
            var failures = _failures == 0 ? TelemetryFailures.None : new TelemetryFailures(_failures, _lastReason);
            return (Interlocked.Read(ref _spans), Interlocked.Read(ref _points), failures, _disabled);
        }
    }
}
