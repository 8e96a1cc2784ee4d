namespace Cake.Orchestrator;

/// <summary>One diagnostics check.</summary>
/// <param name="Status"><c>pass</c>, <c>warn</c> or <c>fail</c>.</param>
/// <param name="Facts">What was found (versions, paths, commit); never secret values.</param>
public sealed record OrchestratorDiagnosticCheck(string Id, string Title, string Status, string Detail, IReadOnlyDictionary<string, string> Facts);

/// <summary>What <see cref="OrchestratorDiagnosticsAliases"/> returns.</summary>
public sealed record OrchestratorDiagnosticResult
{
    public required string TaskId { get; init; }

    public required string RunId { get; init; }

    /// <summary><c>failed</c> when a check failed; warnings leave it <c>succeeded</c>.</summary>
    public required string Status { get; init; }

    public required string ManifestPath { get; init; }

    public required string EventsPath { get; init; }

    /// <summary><c>diagnostics.txt</c>: the human summary.</summary>
    public required string SummaryPath { get; init; }

    /// <summary><c>diagnostics.json</c>: the JSON form.</summary>
    public required string ReportPath { get; init; }

    public required string Summary { get; init; }

    public required IReadOnlyList<OrchestratorDiagnosticCheck> Checks { get; init; }

    public bool Succeeded => Status == "succeeded";
}
