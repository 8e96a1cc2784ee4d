namespace Orchestrator.Core.Runs;

/// <summary>The diagnostics section of a diagnostics run's manifest.</summary>
/// <param name="SummaryPath">The human summary, relative to the manifest's directory.</param>
/// <param name="ReportPath">The JSON form of the report, relative to the manifest's directory.</param>
public sealed record DiagnosticsRecord(IReadOnlyList<DiagnosticCheckRecord> Checks, string SummaryPath, string ReportPath);
