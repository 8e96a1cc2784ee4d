using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Pipelines;

/// <summary>The outcome of a pipeline, guardrails or resumed run, and where its record lies.</summary>
public sealed record PipelineRunResult
{
    public required string TaskId { get; init; }

    public required string RunId { get; init; }

    public required string PipelineId { get; init; }

    /// <summary><c>succeeded</c> (a continueOnError failure included), <c>failed</c> or <c>cancelled</c>.</summary>
    public required RunStatus Status { get; init; }

    public string? StatusDetail { get; init; }

    /// <summary>The failing step's exit code, else 0.</summary>
    public int? ExitCode { get; init; }

    public required string RunDirectory { get; init; }

    public required string ManifestPath { get; init; }

    public required string EventsPath { get; init; }

    /// <summary>The run resumed, for a resume; else the parent run given in the options.</summary>
    public string? ParentRunId { get; init; }

    /// <summary>Pass this to resume the run (its run id and definition hash).</summary>
    public required string ResumeToken { get; init; }

    /// <summary>Every step in order, as it ended.</summary>
    public required IReadOnlyList<PipelineStepOutcome> Steps { get; init; }

    /// <summary>The runs started for sub-pipeline steps.</summary>
    public required IReadOnlyList<ChildRunRecord> ChildRuns { get; init; }

    /// <summary>Set for guardrails runs.</summary>
    public GuardrailStatus? GuardrailStatus { get; init; }

    public bool Succeeded => Status == RunStatus.Succeeded;
}
