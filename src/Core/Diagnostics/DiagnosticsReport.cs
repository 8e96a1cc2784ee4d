using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Diagnostics;

/// <summary>The JSON form of a diagnostics run (<c>diagnostics.json</c>, <c>--format json</c>).</summary>
public sealed record DiagnosticsReport(
    string TaskId,
    string RunId,
    RunStatus Status,
    string ManifestPath,
    string SummaryPath,
    IReadOnlyList<DiagnosticCheckRecord> Checks);
