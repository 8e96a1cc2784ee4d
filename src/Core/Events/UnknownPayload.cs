using System.Text.Json.Serialization;
using System.Text.Json;

namespace Orchestrator.Core.Events;

/// <summary>A payload of an event type this version does not know; kept as raw JSON so readers stay forward-compatible.</summary>
public sealed record UnknownPayload(string Type, JsonElement Raw) : ExecEventPayload
{
    [JsonIgnore]
    public override string EventType => Type;
}
