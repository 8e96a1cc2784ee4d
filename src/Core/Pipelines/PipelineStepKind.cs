namespace Orchestrator.Core.Pipelines;

/// <summary>What a pipeline step does.</summary>
public enum PipelineStepKind
{
    /// <summary>Runs a command (a shell line or an argv) through the ToolOrchestrator.</summary>
    Command,

    /// <summary>Runs another pipeline as a child run with its own manifest.</summary>
    Pipeline,

    /// <summary>Runs a check built into the Orchestrator (e.g. <c>spec-guard</c>) in-process.</summary>
    Builtin,
}
