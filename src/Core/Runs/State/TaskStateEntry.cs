using System.Text.Json.Serialization;
using Orchestrator.Core.Json;

namespace Orchestrator.Core.Runs.State;

/// <summary>
/// One line of <c>out/&lt;task-id&gt;/runs.jsonl</c>: a run's state at one moment. A run has as many
/// lines as it had state changes; its current state is its last line.
/// </summary>
public sealed record TaskStateEntry
{
    public required string RunId { get; init; }

    public required RunStatus Status { get; init; }

    /// <summary>When the state changed (UTC, millisecond precision on the wire).</summary>
    [JsonIgnore]
    public DateTimeOffset Timestamp { get; init; }

    [JsonInclude, JsonRequired, JsonPropertyName("timestamp")]
    internal DateTimeOffset? TimestampOnTheWire { get => Timestamp; init => Timestamp = value ?? throw WireTimestamp.Null("timestamp"); }

    public required RunnerKind Runner { get; init; }

    public string? PipelineId { get; init; }

    public string? ParentRunId { get; init; }

    /// <summary>
    /// The run's manifest, relative to the directory holding runs.jsonl with '/' separators (so the
    /// workspace can move). <see cref="TaskStateStore.Append"/> converts an absolute path;
    /// <see cref="TaskStateStore.ResolveManifestPath"/> turns it back into a full path.
    /// </summary>
    public required string ManifestPath { get; init; }

    public int? ExitCode { get; init; }

    /// <summary>Why the run is in this state, in a few words (e.g. the failing command).</summary>
    public string? StatusDetail { get; init; }

    /// <summary>
    /// The line's number in the file, 1-based, assigned under the writers' lock: consecutive across
    /// every writer, so a gap would mean a lost line. Set by the store; the value passed in is ignored.
    /// </summary>
    public long Seq { get; init; }
}
