using Cake.Core;
using Orchestrator.Core;

namespace Cake.Orchestrator;

/// <summary>
/// Turns the Core's failures into CakeExceptions whose messages carry the same ORCH codes the
/// MSBuild tasks use (docs/msbuild.md#error-codes), so a log reads the same from either door.
/// </summary>
internal static class OrchestratorFailures
{
    public static CakeException From(OrchestratorException ex) => new(ex.Code switch
    {
        OrchestratorErrorCode.InvalidTaskId => "ORCH0001: ",
        OrchestratorErrorCode.RunsRootNotWritable => "ORCH0002: ",
        OrchestratorErrorCode.InvalidConfiguration => "ORCH0009: ",
        OrchestratorErrorCode.InvalidRequest or OrchestratorErrorCode.InvalidRunId => "ORCH0008: ",
        OrchestratorErrorCode.RunNotFound => "ORCH0500: ",
        OrchestratorErrorCode.CorruptRunRecord => "ORCH0501: ",
        OrchestratorErrorCode.UnknownPipeline => "ORCH0010: ",
        OrchestratorErrorCode.ResumeRefused => "ORCH0011: ",
        _ => "ORCH0900: ",
    } + ex.Message, ex);
}
