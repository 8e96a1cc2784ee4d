namespace Orchestrator.Core;

/// <summary>
/// A failure the Orchestrator reports to its caller with a stable code (each door maps it: an
/// <c>ORCH</c> error in MSBuild, a documented exit code in the CLI, a CakeException in Cake).
/// </summary>
public sealed class OrchestratorException : Exception
{
    public OrchestratorException(OrchestratorErrorCode code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
    }

    public OrchestratorErrorCode Code { get; }
}
