using System.Text.Json.Serialization;
using Orchestrator.Core.Json;
namespace Orchestrator.Core.Runs;

/// <summary>One approval decision of the run (granted or denied), as the manifest's <c>approvals[]</c> records it.</summary>
public sealed record ApprovalRecord
{
    public required string ToolRunId { get; init; }

    /// <summary>The approval key (hash of action, working tree and normalised command).</summary>
    public required string Key { get; init; }

    /// <summary><c>run</c> or <c>escalate</c>.</summary>
    public required string Action { get; init; }

    public required string Command { get; init; }

    public required string WorkingTree { get; init; }

    /// <summary><c>approved</c> or <c>denied</c>.</summary>
    public required string Decision { get; init; }

    /// <summary><c>cache</c>, <c>config</c>, <c>prompt</c> or <c>denied</c>.</summary>
    public required string Source { get; init; }

    /// <summary><c>once</c>, <c>run</c>, <c>task</c> or <c>persistent</c>.</summary>
    public required string Scope { get; init; }

    /// <summary>Who decided: the configuration location, the user at the prompt, the cached approval's actor, or the policy.</summary>
    public required string Actor { get; init; }

    public required string Reason { get; init; }

    [JsonConverter(typeof(UtcTimestampConverter))] // the generated writer ignores converters given only in the options
    public required DateTimeOffset Timestamp { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}
