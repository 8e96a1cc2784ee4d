namespace Orchestrator.Core.Events.Handles;

/// <summary>What the frame guard decided for one frame when it was appended.</summary>
public enum GuardDecision
{
    /// <summary>The frame's bytes are kept as produced.</summary>
    Allow,

    /// <summary>The frame's bytes were replaced by the guard's replacement bytes.</summary>
    Redact,

    /// <summary>The frame is kept only as a marker without data.</summary>
    Block,
}
