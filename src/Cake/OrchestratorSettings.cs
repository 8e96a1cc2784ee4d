using Cake.Core.IO;

namespace Cake.Orchestrator;

/// <summary>
/// What every Orchestrator alias shares: where runs go and the policy they run under. Unset values
/// come from orchestrator.yaml, <c>ORCHESTRATOR_*</c> variables and the defaults (docs/configuration.md).
/// </summary>
public abstract class OrchestratorSettings
{
    /// <summary>Task id (runs go under <c>.runs/&lt;task-id&gt;</c>); default: <c>MCP_RUNNER_TASK_ID</c>, configuration, <c>default</c>.</summary>
    public string? TaskId { get; set; }

    /// <summary>Where runs are written; default: configuration, else <c>.runs</c> at the workspace root.</summary>
    public DirectoryPath? RunsRoot { get; set; }

    /// <summary>A configuration file used instead of the repository's orchestrator.yaml.</summary>
    public FilePath? ConfigFile { get; set; }

    /// <summary>Where the run happens and relative paths are resolved; default: the Cake working directory.</summary>
    public DirectoryPath? WorkingDirectory { get; set; }
}
