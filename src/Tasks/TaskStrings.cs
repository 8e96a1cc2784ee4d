using System.Resources;

namespace Orchestrator.Tasks;

/// <summary>The task messages (each error/warning text starts with its ORCH code, as MSBuild expects).</summary>
internal static class TaskStrings
{
    public static ResourceManager ResourceManager { get; } =
        new("Orchestrator.Tasks.Resources.Strings", typeof(TaskStrings).Assembly);
}
