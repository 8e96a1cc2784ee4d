using System.Collections.Immutable;
using Orchestrator.Core.Configuration;

namespace Orchestrator.Core.Pipelines;

/// <summary>A named pipeline: ordered stages of steps (docs/pipelines.md).</summary>
public sealed record PipelineDefinition(string Name, string? Title, ImmutableArray<PipelineStage> Stages, ConfigLocation? Location)
{
    /// <summary>The pipeline name of the guardrails (<c>guardrails:</c> in the configuration).</summary>
    public const string GuardrailsName = "guardrails";

    /// <summary>The pipeline name of the built-in diagnostics.</summary>
    public const string DiagnosticsName = "diagnostics";

    /// <summary>Every step, stage by stage.</summary>
    public IEnumerable<(PipelineStage Stage, PipelineStep Step)> Steps =>
        Stages.SelectMany(stage => stage.Steps.Select(step => (stage, step)));
}
