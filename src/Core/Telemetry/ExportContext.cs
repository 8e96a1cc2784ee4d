namespace Orchestrator.Core.Telemetry;

/// <summary>
/// Which runs one export request is for, carried from the pipeline's export thread into
/// <see cref="OtlpExportHandler"/> (an <see cref="AsyncLocal{T}"/>: the OTLP exporter calls the
/// HTTP client from the thread that asked it to export). A span request is one run's; a metrics
/// request carries the series of every run that recorded into them. The handler charges the
/// request's failures to these runs and credits what the endpoint accepted to each of them.
/// </summary>
internal sealed class ExportContext : IDisposable
{
    private static readonly AsyncLocal<ExportContext?> Ambient = new();

    private readonly CancellationTokenSource? _allExpired;
    private readonly List<CancellationTokenRegistration> _registrations = [];

    public ExportContext(OtlpSignal signal, IReadOnlyList<RunExport> runs)
    {
        Signal = signal;
        Runs = runs;
        if (runs.Count == 1)
        {
            Abandoned = runs[0].Expired;
            return;
        }

        // Shared by several runs: abandoned only when none of them is still waiting for it.
        _allExpired = new CancellationTokenSource();
        Abandoned = _allExpired.Token;
        foreach (RunExport run in runs)
        {
            _registrations.Add(run.Expired.Register(() =>
            {
                if (Runs.All(r => r.IsExpired))
                {
                    _allExpired.Cancel();
                }
            }));
        }
    }

    /// <summary>The context of the export being made on this thread; null outside one (nothing is then sent).</summary>
    public static ExportContext? Current => Ambient.Value;

    public OtlpSignal Signal { get; }

    public IReadOnlyList<RunExport> Runs { get; }

    /// <summary>Cancelled when every run the request is for has run out of flush time.</summary>
    public CancellationToken Abandoned { get; }

    public bool Disabled => Runs.All(r => r.Health.Disabled);

    /// <summary>Runs <paramref name="export"/> with this context current on this thread.</summary>
    public T Apply<T>(Func<T> export)
    {
        ExportContext? previous = Ambient.Value;
        Ambient.Value = this;
        try
        {
            return export();
        }
        finally
        {
            Ambient.Value = previous;
        }
    }

    /// <summary>Whether a backoff of this length ends before the flush deadline of some run still waiting.</summary>
    public bool HasTimeFor(TimeSpan wait) => Runs.Any(r => !r.IsExpired && r.Health.HasTimeFor(wait));

    /// <summary>Charges a failed attempt to every run still on; true when all of them are now off.</summary>
    public bool RecordFailure(string reason)
    {
        foreach (RunExport run in Runs)
        {
            if (!run.Health.Disabled)
            {
                run.Health.RecordFailure(reason);
            }
        }

        return Disabled;
    }

    /// <summary>The endpoint accepted the request: each run is credited with what in it was its own.</summary>
    public void RecordSuccess(ReadOnlySpan<byte> message)
    {
        if (Signal == OtlpSignal.Traces)
        {
            // A span request holds one run's spans.
            long spans = OtlpPayloadCounter.CountSpans(message);
            foreach (RunExport run in Runs)
            {
                run.Health.RecordSuccess(Signal, spans);
            }

            return;
        }

        foreach (RunExport run in Runs)
        {
            run.Health.RecordSuccess(Signal, OtlpPayloadCounter.CountDataPoints(message, run.Owns));
        }
    }

    public void Dispose()
    {
        _registrations.ForEach(r => r.Dispose());
        _allExpired?.Dispose();
    }
}
