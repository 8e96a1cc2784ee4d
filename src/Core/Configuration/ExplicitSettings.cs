using System.Collections.Immutable;
using Orchestrator.Core.Orchestration;

namespace Orchestrator.Core.Configuration;

/// <summary>
/// What a door sets explicitly (an MSBuild property, a Cake setting, a CLI flag): the highest level.
/// Null (and, for strings, empty) means "not set here". Relative paths are relative to the working
/// directory. Approval rules, safe commands and secrets are deliberately absent: only files hold them.
/// </summary>
public sealed record ExplicitSettings
{
    public static ExplicitSettings None { get; } = new();

    public string? TaskId { get; init; }

    public string? RunsRoot { get; init; }

    public ApprovalPolicy? ApprovalPolicy { get; init; }

    public SandboxMode? SandboxMode { get; init; }

    public bool? Network { get; init; }

    public ImmutableArray<string>? WritableRoots { get; init; }

    public bool? ProtectGit { get; init; }

    public int? MaxProcesses { get; init; }

    public long? MaxMemoryBytes { get; init; }

    public int? MaxAttempts { get; init; }

    public int? InitialDelayMs { get; init; }

    public int? MaxDelayMs { get; init; }

    public ImmutableArray<int>? TransientExitCodes { get; init; }

    public ImmutableArray<string>? TransientOutputPatterns { get; init; }

    public string? ApprovalCacheFile { get; init; }

    public long? EventBudgetBytes { get; init; }

    public int? CaptureBytes { get; init; }
}
