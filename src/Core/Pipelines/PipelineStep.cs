using System.Collections.Immutable;
using Orchestrator.Core.Configuration;
using Orchestrator.Core.Orchestration;

namespace Orchestrator.Core.Pipelines;

/// <summary>One step of a pipeline stage, as configured (docs/pipelines.md). Immutable.</summary>
public sealed record PipelineStep
{
    /// <summary>Unique in its pipeline (across stages), <c>[A-Za-z0-9._-]{1,48}</c>; names the command in the manifest and its logs.</summary>
    public required string Id { get; init; }

    public string? Title { get; init; }

    public required PipelineStepKind Kind { get; init; }

    /// <summary>The shell line (<see cref="PipelineStepKind.Command"/> written as <c>command:</c>).</summary>
    public string? Command { get; init; }

    /// <summary>The argv (<see cref="PipelineStepKind.Command"/> written as <c>argv:</c>).</summary>
    public ImmutableArray<string> Argv { get; init; } = [];

    /// <summary>The sub-pipeline's name (<see cref="PipelineStepKind.Pipeline"/>).</summary>
    public string? Pipeline { get; init; }

    /// <summary>The built-in check's name (<see cref="PipelineStepKind.Builtin"/>), e.g. <c>spec-guard</c>.</summary>
    public string? Builtin { get; init; }

    /// <summary>Absolute working directory (relative paths in the file are relative to its directory); null = the run's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Environment overlay: a value sets, null removes.</summary>
    public ImmutableSortedDictionary<string, string?> Environment { get; init; } = ImmutableSortedDictionary<string, string?>.Empty;

    public TimeSpan? Timeout { get; init; }

    /// <summary>A failure does not stop the pipeline; the run still succeeds, and guardrails recommend needs-review.</summary>
    public bool ContinueOnError { get; init; }

    /// <summary>Overrides the run's approval policy for this step.</summary>
    public ApprovalPolicy? ApprovalPolicy { get; init; }

    /// <summary>Overrides the run's sandbox mode for this step.</summary>
    public SandboxMode? SandboxMode { get; init; }

    /// <summary>Run on a pseudo-terminal.</summary>
    public bool Pty { get; init; }

    /// <summary>For a built-in check: report without failing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Where the step was written; null for built-in pipelines.</summary>
    public ConfigLocation? Location { get; init; }

    /// <summary>Where <see cref="Pipeline"/> was written (for errors about the reference).</summary>
    public ConfigLocation? PipelineLocation { get; init; }

    /// <summary>What the manifest shows as the command of a step that is not a command.</summary>
    public string Display => Kind switch
    {
        PipelineStepKind.Pipeline => $"pipeline: {Pipeline}",
        PipelineStepKind.Builtin => $"builtin: {Builtin}{(DryRun ? " --dry-run" : string.Empty)}",
        _ => Command ?? string.Join(' ', Argv),
    };
}
