namespace Orchestrator.Core.Events;

/// <summary>Base of every event payload; the envelope's <c>type</c> comes from <see cref="EventType"/>.</summary>
public abstract record ExecEventPayload
{
    /// <summary>The envelope type this payload travels under (not serialized inside the payload).</summary>
    public abstract string EventType { get; }
}
