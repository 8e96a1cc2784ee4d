namespace Orchestrator.Cli.Output;

/// <summary>`status --json`: where a run is and how it stands.</summary>
internal sealed record StatusReport
{
    public required string TaskId { get; init; }

    public required string RunId { get; init; }

    public required string Status { get; init; }

    public string? StatusDetail { get; init; }

    public int? ExitCode { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public DateTimeOffset? HeartbeatAt { get; init; }

    /// <summary><c>task-state</c> (out/&lt;task&gt;/runs.jsonl), <c>scan</c> (the run directories) or <c>run-id</c> (asked for by id).</summary>
    public required string Source { get; init; }

    public required string ManifestPath { get; init; }

    public required string EventsPath { get; init; }

    /// <summary>The manifest says in_progress (or queued) but its writer is gone or its heartbeat expired (<c>RunLiveness</c>).</summary>
    public bool Stale { get; init; }

    /// <summary>Why the run is stale, or how it stands while in progress; null for a finished run.</summary>
    public string? Liveness { get; init; }

    /// <summary>What finding the run noticed: task state lines not believed (<c>TaskStateTampered</c>), runs gone (<c>TaskStateManifestMissing</c>).</summary>
    public IReadOnlyList<Orchestrator.Core.Runs.RunWarning> Warnings { get; init; } = [];
}
