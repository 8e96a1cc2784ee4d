using System.Text.Json.Serialization;
using Orchestrator.Core.Json;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Telemetry;

namespace Orchestrator.Core.Runs;

/// <summary>
/// The run's manifest (schemas/manifest.json). Immutable: every state change produces a new value
/// that <see cref="RunRecorder"/> writes atomically.
/// </summary>
public sealed record RunManifest
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string TaskId { get; init; }

    public required string RunId { get; init; }

    public string? ParentRunId { get; init; }

    public string? PipelineId { get; init; }

    public required RunnerKind Runner { get; init; }

    public required RunStatus Status { get; init; }

    public string? StatusDetail { get; init; }

    /// <summary>When the run started (UTC; written as <c>startedAt</c>, millisecond precision).</summary>
    [JsonIgnore]
    public DateTimeOffset StartedAt { get; init; }

    [JsonInclude, JsonRequired, JsonPropertyName("startedAt")]
    internal DateTimeOffset? StartedAtOnTheWire { get => StartedAt; init => StartedAt = value ?? throw WireTimestamp.Null("startedAt"); }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>When the manifest last changed (UTC; written as <c>updatedAt</c>).</summary>
    [JsonIgnore]
    public DateTimeOffset UpdatedAt { get; init; }

    [JsonInclude, JsonRequired, JsonPropertyName("updatedAt")]
    internal DateTimeOffset? UpdatedAtOnTheWire { get => UpdatedAt; init => UpdatedAt = value ?? throw WireTimestamp.Null("updatedAt"); }

    /// <summary>The last heartbeat (UTC; written as <c>heartbeatAt</c>).</summary>
    [JsonIgnore]
    public DateTimeOffset HeartbeatAt { get; init; }

    [JsonInclude, JsonRequired, JsonPropertyName("heartbeatAt")]
    internal DateTimeOffset? HeartbeatAtOnTheWire { get => HeartbeatAt; init => HeartbeatAt = value ?? throw WireTimestamp.Null("heartbeatAt"); }

    /// <summary>How often <see cref="HeartbeatAt"/> is refreshed while the run is in progress; 0 = never.</summary>
    public long HeartbeatIntervalMs { get; init; }

    public required ApprovalPolicy ApprovalPolicy { get; init; }

    public required SandboxMode SandboxMode { get; init; }

    public required string Cwd { get; init; }

    public int? ExitCode { get; init; }

    public required RunnerProcessInfo RunnerProcess { get; init; }

    public required EnvironmentInfo Environment { get; init; }

    public IReadOnlyList<CommandRecord> Commands { get; init; } = [];

    public IReadOnlyList<ToolRunRecord> ToolRuns { get; init; } = [];

    public IReadOnlyList<ApprovalRecord> Approvals { get; init; } = [];

    /// <summary>The PTY sessions this run's commands ran in.</summary>
    public IReadOnlyList<SessionRecord> Sessions { get; init; } = [];

    /// <summary>The output handles of this run's commands and sessions.</summary>
    public IReadOnlyList<HandleRecord> Handles { get; init; } = [];

    /// <summary>The sandbox asked for and what the machine could provide; set before the first command.</summary>
    public SandboxInfo? Sandbox { get; init; }

    /// <summary>Where each effective setting came from (<c>explicit</c>, <c>environment</c>, <c>repo</c>, <c>user</c>, <c>default</c>).</summary>
    public IReadOnlyDictionary<string, string>? SettingSources { get; init; }

    /// <summary>The configuration files that shaped the run, with their SHA-256.</summary>
    public IReadOnlyList<ConfigurationFileRecord> ConfigurationFiles { get; init; } = [];

    public IReadOnlyList<RunWarning> Warnings { get; init; } = [];

    /// <summary>Whether the run sent OpenTelemetry data, where to and how that went (docs/telemetry.md).</summary>
    public TelemetryRecord? Telemetry { get; init; }

    /// <summary>The notification targets, where they came from, and each delivery's outcome (docs/notifications.md).</summary>
    public NotificationsRecord? Notifications { get; init; }

    /// <summary>The AGENTS.md instructions in force for the run's working directory: recorded, never obeyed (docs/instructions.md).</summary>
    public InstructionsRecord? Instructions { get; init; }

    /// <summary>The events file, relative to the manifest's directory.</summary>
    public string EventsPath { get; init; } = RunPaths.EventsFileName;

    /// <summary>SHA-256 (hex) of events.jsonl, set when the run completes and the file is closed.</summary>
    public string? EventsSha256 { get; init; }

    public long EventCount { get; init; }

    /// <summary>SHA-256 of the pipeline's definition (pipeline runs only): a resume refuses when it changed.</summary>
    public string? PipelineSha256 { get; init; }

    /// <summary>Names this run and its definition for a resume: <c>&lt;run-id&gt;.&lt;first 16 hex of pipelineSha256&gt;</c> (pipeline runs only).</summary>
    public string? ResumeToken { get; init; }

    /// <summary>What a resume decided (resumed runs only): the run resumed, steps skipped and re-run.</summary>
    public IReadOnlyList<ResumeEvent> ResumeEvents { get; init; } = [];

    /// <summary>The runs this run started for its sub-pipeline steps.</summary>
    public IReadOnlyList<ChildRunRecord> ChildRuns { get; init; } = [];

    /// <summary>The guardrails' verdict (guardrails runs only).</summary>
    public GuardrailStatus? GuardrailStatus { get; init; }

    /// <summary>The checks of a diagnostics run.</summary>
    public DiagnosticsRecord? Diagnostics { get; init; }
}
