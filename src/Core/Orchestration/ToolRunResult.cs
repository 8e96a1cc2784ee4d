using Orchestrator.Core.Commands;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration.Approvals;

namespace Orchestrator.Core.Orchestration;

/// <summary>How a call through the ToolOrchestrator ended, with every attempt it made.</summary>
public sealed record ToolRunResult
{
    public required string Id { get; init; }

    public required string Tool { get; init; }

    public required string Command { get; init; }

    public required ToolRunStatus Status { get; init; }

    public string? StatusDetail { get; init; }

    public required SandboxState SandboxState { get; init; }

    /// <summary>The decisive approval's source (not-required when nothing needed approving).</summary>
    public required ApprovalSource ApprovalSource { get; init; }

    /// <summary>Every attempt, in order; empty when it was denied before running.</summary>
    public required IReadOnlyList<CommandResult> Attempts { get; init; }

    /// <summary>The attempts as the manifest records them: sandbox, retry reason and its evidence.</summary>
    public IReadOnlyList<Runs.ToolRunAttempt> AttemptRecords { get; init; } = [];

    public int RetryCount => Math.Max(0, Attempts.Count - 1);

    /// <summary>The last attempt, if any ran.</summary>
    public CommandResult? Final => Attempts.Count > 0 ? Attempts[^1] : null;

    public int? ExitCode => Final?.ExitCode;

    public bool Succeeded => Status == ToolRunStatus.Succeeded;

    /// <summary>
    /// The command failed and its output reads like a sandbox refusal, but nothing proves the
    /// sandbox refused it: <see cref="StatusDetail"/> names the settings that would allow it.
    /// </summary>
    public bool PossiblyDenied => Status == ToolRunStatus.Failed && AttemptRecords.Count > 0 && AttemptRecords[^1].RetryReason == "sandbox-denied";
}
