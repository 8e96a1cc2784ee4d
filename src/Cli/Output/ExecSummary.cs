namespace Orchestrator.Cli.Output;

/// <summary>`exec --json`: the one document printed when the run ends (docs/cli.md#exec---json).</summary>
internal sealed record ExecSummary
{
    public required string TaskId { get; init; }

    public required string RunId { get; init; }

    /// <summary>The run's status: succeeded, failed or cancelled.</summary>
    public required string Status { get; init; }

    public string? StatusDetail { get; init; }

    /// <summary>The command's status: succeeded, failed, timed_out, cancelled or denied.</summary>
    public required string CommandStatus { get; init; }

    /// <summary>The command's own exit code (null when it did not run or was killed).</summary>
    public int? ExitCode { get; init; }

    public string? Signal { get; init; }

    /// <summary>What the CLI exits with (docs/cli.md#exit-codes).</summary>
    public required int CliExitCode { get; init; }

    public required long DurationMs { get; init; }

    public required string SandboxState { get; init; }

    public required string ApprovalSource { get; init; }

    public required int Attempts { get; init; }

    public string? Stdout { get; init; }

    public string? Stderr { get; init; }

    public bool OutputTruncated { get; init; }

    public required string ManifestPath { get; init; }

    public required string EventsPath { get; init; }
}
