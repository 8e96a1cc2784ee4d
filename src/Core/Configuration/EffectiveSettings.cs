using System.Collections.Immutable;
using Orchestrator.Core.Orchestration;

namespace Orchestrator.Core.Configuration;

/// <summary>
/// The settings a run uses, each with the level that supplied it (explicit, environment, repo,
/// user, default) and, from a file, where. Paths are absolute. Approval rules and secrets are the
/// union of the repo and user files; every item carries its own source.
/// </summary>
public sealed record EffectiveSettings
{
    public required EffectiveValue<string> TaskId { get; init; }

    public required EffectiveValue<string> RunsRoot { get; init; }

    public required EffectiveValue<ApprovalPolicy> ApprovalPolicy { get; init; }

    public required EffectiveValue<SandboxMode> SandboxMode { get; init; }

    public required EffectiveValue<bool> Network { get; init; }

    public required EffectiveValue<ImmutableArray<string>> WritableRoots { get; init; }

    public required EffectiveValue<bool> ProtectGit { get; init; }

    public required EffectiveValue<int> MaxProcesses { get; init; }

    public required EffectiveValue<long> MaxMemoryBytes { get; init; }

    public required EffectiveValue<int> MaxAttempts { get; init; }

    public required EffectiveValue<int> InitialDelayMs { get; init; }

    public required EffectiveValue<int> MaxDelayMs { get; init; }

    public required EffectiveValue<ImmutableArray<int>> TransientExitCodes { get; init; }

    public required EffectiveValue<ImmutableArray<string>> TransientOutputPatterns { get; init; }

    /// <summary>Repo rules first, then user rules, each in file order.</summary>
    public required ImmutableArray<EffectiveValue<ApprovalRule>> ApprovalRules { get; init; }

    public required EffectiveValue<ImmutableArray<ImmutableArray<string>>> SafeCommands { get; init; }

    public required EffectiveValue<string> ApprovalCacheFile { get; init; }

    /// <summary>Repo names first, then the user's not already listed.</summary>
    public required ImmutableArray<EffectiveValue<string>> SecretEnvironmentNames { get; init; }

    /// <summary>Repo patterns first, then the user's not already listed.</summary>
    public required ImmutableArray<EffectiveValue<string>> SecretPatterns { get; init; }

    public required EffectiveValue<long> EventBudgetBytes { get; init; }

    public required EffectiveValue<int> CaptureBytes { get; init; }

    /// <summary>
    /// The files' <c>notify:</c> targets (repo list, else user list, else none), as written: credentials
    /// included, so never display them. The door and <c>ORCHESTRATOR_NOTIFY</c> beat this list; apply them
    /// with <see cref="Notifications.NotificationSettings.Resolve"/>.
    /// </summary>
    public required EffectiveValue<ImmutableArray<string>> Notify { get; init; }

    /// <summary>
    /// The files' <c>telemetry.endpoint</c> (repo, else user; empty when neither sets it), as written:
    /// credentials included, so never display it. The door and <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> beat
    /// it; apply them with <see cref="Telemetry.TelemetrySettings.Resolve"/>.
    /// </summary>
    public EffectiveValue<string> TelemetryEndpoint { get; init; } = new(string.Empty, SettingSource.Default);
}
