namespace Orchestrator.Cli.Output;

/// <summary>`verify --json`: the verdict on a run record and each problem found.</summary>
internal sealed record VerifyReport
{
    public required string ManifestPath { get; init; }

    public required bool Valid { get; init; }

    public required IReadOnlyList<string> Problems { get; init; }
}
