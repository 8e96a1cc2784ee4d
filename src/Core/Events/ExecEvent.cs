namespace Orchestrator.Core.Events;

/// <summary>
/// One event of a run: the envelope <c>{type, timestamp, runId, payload}</c>. One line of
/// events.jsonl and of <c>orchestrator exec --jsonl</c>.
/// </summary>
/// <param name="Type">One of <see cref="ExecEventTypes"/>.</param>
/// <param name="Timestamp">When the event happened (UTC, millisecond precision on the wire).</param>
/// <param name="RunId">The run the event belongs to.</param>
/// <param name="Payload">The typed payload; <see cref="UnknownPayload"/> for a type this version does not know.</param>
public sealed record ExecEvent(string Type, DateTimeOffset Timestamp, string RunId, ExecEventPayload Payload)
{
    public static ExecEvent Create(string runId, ExecEventPayload payload) =>
        new(payload.EventType, DateTimeOffset.UtcNow, runId, payload);
}
