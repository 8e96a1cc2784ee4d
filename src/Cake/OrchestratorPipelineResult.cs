namespace Cake.Orchestrator;

/// <summary>What <see cref="OrchestratorPipelineAliases"/> returns: the pipeline run's outcome and where it is recorded.</summary>
public sealed record OrchestratorPipelineResult
{
    public required string TaskId { get; init; }

    public required string RunId { get; init; }

    public required string PipelineId { get; init; }

    /// <summary><c>succeeded</c> (a continueOnError failure included), <c>failed</c> or <c>cancelled</c>.</summary>
    public required string Status { get; init; }

    public string? StatusDetail { get; init; }

    public int? ExitCode { get; init; }

    public required string RunDirectory { get; init; }

    public required string ManifestPath { get; init; }

    public required string EventsPath { get; init; }

    /// <summary>Pass to a resume to continue this run.</summary>
    public required string ResumeToken { get; init; }

    public required IReadOnlyList<OrchestratorStepResult> Steps { get; init; }

    /// <summary>The runs started for sub-pipeline steps.</summary>
    public required IReadOnlyList<string> ChildRunIds { get; init; }

    /// <summary>Guardrails runs: <c>pass</c>, <c>fail</c> or <c>needs-review</c>; null otherwise.</summary>
    public string? Recommendation { get; init; }

    /// <summary>Guardrails runs: the verdict in words.</summary>
    public string? GuardrailSummary { get; init; }

    public bool Succeeded => Status == "succeeded";
}
