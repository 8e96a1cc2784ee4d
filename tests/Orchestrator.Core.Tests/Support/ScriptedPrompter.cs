using Orchestrator.Core.Orchestration.Approvals;

namespace Orchestrator.Core.Tests.Support;

/// <summary>Stands in for the person at the terminal: answers from a queue and records what it was asked.</summary>
public sealed class ScriptedPrompter(params ApprovalPromptAnswer?[] answers) : IApprovalPrompter
{
    private readonly Queue<ApprovalPromptAnswer?> _answers = new(answers);

    public List<(ApprovalSubject Subject, string Why)> Asked { get; } = [];

    public Task<ApprovalPromptAnswer?> AskAsync(ApprovalSubject subject, string why, CancellationToken cancellationToken)
    {
        Asked.Add((subject, why));
        return Task.FromResult(_answers.Count > 0 ? _answers.Dequeue() : null);
    }
}
