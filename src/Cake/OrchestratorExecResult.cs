namespace Cake.Orchestrator;

/// <summary>What <see cref="OrchestratorExecAliases"/> returns: the command's outcome and where its run is recorded.</summary>
public sealed record OrchestratorExecResult
{
    /// <summary>-1 when the command has none (never started, killed without status).</summary>
    public required int ExitCode { get; init; }

    /// <summary><c>succeeded</c>, <c>failed</c>, <c>timed_out</c>, <c>cancelled</c> or <c>denied</c>.</summary>
    public required string Status { get; init; }

    /// <summary><c>sandboxed</c>, <c>escalated</c>, <c>unsandboxed</c>, <c>unavailable</c> or <c>failed</c>.</summary>
    public required string SandboxState { get; init; }

    public required string TaskId { get; init; }

    public required string RunId { get; init; }

    public required string RunDirectory { get; init; }

    public required string ManifestPath { get; init; }

    public required string EventsPath { get; init; }

    /// <summary>The captured standard output (head and tail when long; the raw log has it all).</summary>
    public string StandardOutput { get; init; } = "";

    public string StandardError { get; init; } = "";

    public bool Succeeded => Status == "succeeded";
}
