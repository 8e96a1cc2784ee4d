using System.Collections.Immutable;
using Orchestrator.Core.Orchestration.Approvals;

namespace Orchestrator.Core.Configuration;

/// <summary>One pre-approval from <c>approvals.rules</c>.</summary>
/// <param name="Prefix">Leading argv tokens a command must start with, e.g. <c>[dotnet, restore]</c>.</param>
/// <param name="Action">What is pre-approved: <c>escalate</c> or <c>run</c>.</param>
/// <param name="Scope"><c>run</c>, <c>task</c> or <c>persistent</c> (default); recorded with the decision.</param>
/// <param name="Reason">Why, as written.</param>
public sealed record ApprovalRule(ImmutableArray<string> Prefix, ApprovalAction Action, ApprovalScope Scope, string? Reason);
