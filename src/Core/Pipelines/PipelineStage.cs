using System.Collections.Immutable;

namespace Orchestrator.Core.Pipelines;

/// <summary>An ordered group of steps; stages run in order, steps in a stage in order.</summary>
public sealed record PipelineStage(string Id, string? Title, ImmutableArray<PipelineStep> Steps);
