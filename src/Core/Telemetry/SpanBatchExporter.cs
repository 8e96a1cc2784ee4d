using System.Diagnostics;
using OpenTelemetry;

namespace Orchestrator.Core.Telemetry;

/// <summary>
/// Hands the OTLP trace exporter batches chosen by <see cref="OtlpPipeline"/> (one run's spans at a
/// time) instead of whatever an ActivitySource subscription delivers. An export processor rather
/// than a bare exporter: added to the pipeline's TracerProvider, it gives the exporter the
/// provider's resource. Nothing reaches <see cref="OnExport"/>: the provider subscribes to no source.
/// </summary>
internal sealed class SpanBatchExporter(BaseExporter<Activity> exporter) : BaseExportProcessor<Activity>(exporter)
{
    /// <summary>Exports on the calling thread (the pipeline's export thread, the only caller: the exporter is not reentrant).</summary>
    public ExportResult Export(Activity[] spans, int count) => exporter.Export(new Batch<Activity>(spans, count));

    protected override void OnExport(Activity data)
    {
    }
}
