using Orchestrator.Core.Commands;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;

namespace Orchestrator.Core.Runs;

/// <summary>The outcome of a run and where its record lies.</summary>
public sealed record RunResult
{
    public required string TaskId { get; init; }

    public required string RunId { get; init; }

    public required RunStatus Status { get; init; }

    public string? StatusDetail { get; init; }

    public int? ExitCode { get; init; }

    public required string RunDirectory { get; init; }

    public required string ManifestPath { get; init; }

    public required string EventsPath { get; init; }

    /// <summary>One per command requested that got to run (or was denied), in order.</summary>
    public required IReadOnlyList<ToolRunResult> ToolRuns { get; init; }

    /// <summary>Every exec of the run: the attempts of all tool runs, in order.</summary>
    public required IReadOnlyList<CommandResult> Commands { get; init; }

    /// <summary>The final manifest as written (telemetry and notification outcomes included), for doors that report them.</summary>
    public RunManifest? Manifest { get; init; }

    public bool Succeeded => Status == RunStatus.Succeeded;
}
