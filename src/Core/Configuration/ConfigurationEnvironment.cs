namespace Orchestrator.Core.Configuration;

/// <summary>The environment variables the configuration reads (docs/configuration.md#environment-variables).</summary>
public static class ConfigurationEnvironment
{
    /// <summary>A configuration file used instead of the repository's <c>orchestrator.yaml</c>.</summary>
    public const string ConfigFile = "ORCHESTRATOR_CONFIG";

    public const string TaskId = Runs.TaskId.EnvironmentVariable;

    public const string RunsRoot = "ORCHESTRATOR_RUNS_ROOT";

    public const string ApprovalPolicy = "ORCHESTRATOR_APPROVAL_POLICY";

    public const string SandboxMode = "ORCHESTRATOR_SANDBOX";

    /// <summary><c>true</c>, <c>false</c>, <c>1</c> or <c>0</c>.</summary>
    public const string Network = "ORCHESTRATOR_NETWORK";

    /// <summary>Paths separated by <c>:</c>.</summary>
    public const string WritableRoots = "ORCHESTRATOR_WRITABLE_ROOTS";

    public const string MaxAttempts = "ORCHESTRATOR_MAX_ATTEMPTS";

    /// <summary>Processes and threads per sandboxed command; 0 means no limit.</summary>
    public const string MaxProcesses = "ORCHESTRATOR_SANDBOX_MAX_PROCESSES";

    /// <summary>Memory per sandboxed command in bytes; 0 means no limit.</summary>
    public const string MaxMemoryBytes = "ORCHESTRATOR_SANDBOX_MAX_MEMORY_BYTES";

    public const string EventBudgetBytes = "ORCHESTRATOR_EVENT_BUDGET_BYTES";

    public const string CaptureBytes = "ORCHESTRATOR_CAPTURE_BYTES";

    public const string Home = "HOME";

    public const string XdgConfigHome = Runs.WorkspaceLocator.XdgConfigHomeVariable;
}
