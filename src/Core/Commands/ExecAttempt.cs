using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;

namespace Orchestrator.Core.Commands;

/// <summary>Which attempt of which tool run an exec is, and whether it runs in the sandbox.</summary>
/// <param name="ToolRunId">The tool run it belongs to; null for a bare exec.</param>
/// <param name="Attempt">1-based.</param>
/// <param name="Sandbox">How it runs, as recorded.</param>
/// <param name="Launch">The sandbox to wrap it in; null runs it directly.</param>
public sealed record ExecAttempt(string? ToolRunId, int Attempt, SandboxState Sandbox, SandboxLaunch? Launch)
{
    /// <summary>A direct, unsandboxed exec outside any tool run.</summary>
    public static ExecAttempt Direct { get; } = new(null, 1, SandboxState.Unsandboxed, null);
}
