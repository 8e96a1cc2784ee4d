using System.Text.Json.Serialization;

namespace Orchestrator.Core.Events;

/// <summary>Payload of <c>session:disposed</c>: a session was ended (pruned, replaced, not persisted, disposed).</summary>
public sealed record SessionDisposedPayload : ExecEventPayload
{
    [JsonIgnore]
    public override string EventType => ExecEventTypes.SessionDisposed;

    public required string SessionId { get; init; }

    public required string Reason { get; init; }

    public required int CommandCount { get; init; }
}
