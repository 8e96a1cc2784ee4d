using System.Diagnostics;

namespace Orchestrator.Core.Telemetry;

/// <summary>
/// One run's share of a process-wide <see cref="OtlpPipeline"/>: its finished spans waiting to go
/// out, the metric series it recorded into, its <see cref="ExportHealth"/> (what the endpoint
/// accepted for this run, its failures, whether it is off), and the moment its flush budget runs
/// out. The pipeline is shared; every count in the run's manifest record comes from here.
/// </summary>
internal sealed class RunExport
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _series = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _expired = new();
    private List<Activity> _pending = [];

    public RunExport(TelemetrySettings settings)
    {
        Health = new ExportHealth(settings.MaxConsecutiveFailures);
        FlushTimeout = settings.FlushTimeout;
    }

    public ExportHealth Health { get; }

    public TimeSpan FlushTimeout { get; }

    /// <summary>Cancelled when the run's flush budget has run out: its requests in flight are abandoned, its queued work dropped.</summary>
    public CancellationToken Expired => _expired.Token;

    public bool IsExpired => _expired.IsCancellationRequested;

    public bool HasSeries
    {
        get
        {
            lock (_gate)
            {
                return _series.Count > 0;
            }
        }
    }

    /// <summary>Queues a finished span; returns how many are waiting.</summary>
    public int Add(Activity span)
    {
        lock (_gate)
        {
            _pending.Add(span);
            return _pending.Count;
        }
    }

    /// <summary>The spans waiting to go out, handed over (the queue is empty afterwards).</summary>
    public List<Activity> TakePending()
    {
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return [];
            }

            List<Activity> taken = _pending;
            _pending = [];
            return taken;
        }
    }

    /// <summary>Notes a metric series (see <see cref="RunInstruments.SeriesKey"/>) this run recorded into.</summary>
    public void Touch(string series)
    {
        lock (_gate)
        {
            _series.Add(series);
        }
    }

    /// <summary>Whether this run recorded into the series: its data points count for the run.</summary>
    public bool Owns(string series)
    {
        lock (_gate)
        {
            return _series.Contains(series);
        }
    }

    public void ExpireAfter(TimeSpan delay)
    {
        try
        {
            _expired.CancelAfter(delay);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Expire()
    {
        try
        {
            _expired.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>The flush finished in time: the pending expiry must not fire later.</summary>
    public void KeepAlive()
    {
        try
        {
            _expired.CancelAfter(Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
