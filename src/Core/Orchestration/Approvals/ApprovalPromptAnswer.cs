namespace Orchestrator.Core.Orchestration.Approvals;

/// <summary>What a person answered.</summary>
/// <param name="Approved">Yes or no.</param>
/// <param name="Scope">For a yes: once, or how long to remember it.</param>
/// <param name="Actor">Who answered (user name).</param>
public sealed record ApprovalPromptAnswer(bool Approved, ApprovalScope Scope, string Actor);
