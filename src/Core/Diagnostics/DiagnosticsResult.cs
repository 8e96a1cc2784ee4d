using System.Text.Json;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Diagnostics;

/// <summary>What a diagnostics run found and where it is recorded.</summary>
public sealed record DiagnosticsResult
{
    public required string TaskId { get; init; }

    public required string RunId { get; init; }

    /// <summary><c>failed</c> when any check failed; warnings leave it <c>succeeded</c>.</summary>
    public required RunStatus Status { get; init; }

    public required string ManifestPath { get; init; }

    public required string EventsPath { get; init; }

    /// <summary>The human summary (<c>diagnostics.txt</c> beside the manifest).</summary>
    public required string SummaryPath { get; init; }

    /// <summary>The JSON form (<c>diagnostics.json</c> beside the manifest).</summary>
    public required string ReportPath { get; init; }

    public required IReadOnlyList<DiagnosticCheckRecord> Checks { get; init; }

    /// <summary>The human summary's text.</summary>
    public required string Summary { get; init; }

    public bool Succeeded => Status == RunStatus.Succeeded;

    /// <summary>The JSON form's text.</summary>
    public string ToJson() => JsonSerializer.Serialize(
        new DiagnosticsReport(TaskId, RunId, Status, ManifestPath, SummaryPath, Checks), DiagnosticsJsonContext.Default.DiagnosticsReport);
}
