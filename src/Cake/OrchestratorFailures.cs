using Cake.Core;
using Orchestrator.Core;
using Orchestrator.Core.Outcomes;

namespace Cake.Orchestrator;

/// <summary>
/// Turns the Core's failures into CakeExceptions whose messages carry the same ORCH codes the
/// MSBuild tasks use (docs/msbuild.md#error-codes), so a log reads the same from either door.
/// </summary>
internal static class OrchestratorFailures
{
    /// <param name="ex">The Core's failure.</param>
    /// <param name="review">A review asked for the run (a missing or corrupt one is ORCH0500/0501, not ORCH0012/0013).</param>
    public static CakeException From(OrchestratorException ex, bool review = false) =>
        new(MessageCatalogue.Failure(ex, review).ToString(), ex);
}
