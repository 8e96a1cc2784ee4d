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
}
