namespace Orchestrator.Core.Orchestration.Approvals;

/// <summary>
/// Asks a person. Only a door with a terminal attached provides one (the CLI); builds have none, so
/// they never wait for input. Return null when no answer can be had (no terminal, input closed).
/// </summary>
public interface IApprovalPrompter
{
    Task<ApprovalPromptAnswer?> AskAsync(ApprovalSubject subject, string why, CancellationToken cancellationToken);
}
