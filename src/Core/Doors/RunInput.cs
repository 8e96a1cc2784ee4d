namespace Orchestrator.Core.Doors;

/// <summary>
/// The settings of a run as a door received them (exec and pipeline doors alike), before anything
/// is checked; null or blank means "not set here", so the environment, the configuration or the
/// default decides. Read it with <see cref="RunInputReader"/>.
/// </summary>
public sealed record RunInput
{
    public string? TaskId { get; init; }

    public string? RunsRoot { get; init; }

    public string? ApprovalPolicy { get; init; }

    public string? SandboxMode { get; init; }

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public string? Network { get; init; }

    public IReadOnlyList<string>? WritableRoots { get; init; }

    public string? MaxAttempts { get; init; }

    /// <summary>Bytes; 0 for unlimited.</summary>
    public string? EventBudgetBytes { get; init; }

    /// <summary>Bytes, at least 2.</summary>
    public string? CaptureBytes { get; init; }

    /// <summary>A duration (a plain number in <see cref="PlainDurationUnit"/>); 0 kills at once.</summary>
    public string? KillGracePeriod { get; init; }

    /// <summary>What a plain number means in <see cref="KillGracePeriod"/>.</summary>
    public Validation.PlainNumberUnit PlainDurationUnit { get; init; } = Validation.PlainNumberUnit.Seconds;

    /// <summary>An OTLP endpoint URL, or <c>off</c>.</summary>
    public string? OtelEndpoint { get; init; }

    /// <summary>Notification targets.</summary>
    public IReadOnlyList<string>? Notify { get; init; }
}
