namespace Orchestrator.Core.Orchestration.Sandbox;

/// <summary>Why a failed sandboxed attempt is believed to have been stopped by the sandbox.</summary>
/// <param name="Kind">File system or network.</param>
/// <param name="Evidence">The output line that shows it.</param>
public sealed record SandboxDenial(SandboxDenialKind Kind, string Evidence);
