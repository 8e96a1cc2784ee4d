namespace Orchestrator.Cli.Output;

/// <summary>`verify --json`: the verdict on a run record and each problem found.</summary>
internal sealed record VerifyReport
{
    public required string ManifestPath { get; init; }

    public required bool Valid { get; init; }

    public required IReadOnlyList<string> Problems { get; init; }

    /// <summary>The run finished: a terminal status in the manifest and run:summary last in events.jsonl.</summary>
    public required bool Complete { get; init; }

    /// <summary>Why the run never completed; null when it did.</summary>
    public string? Incomplete { get; init; }
}
