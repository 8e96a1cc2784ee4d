using System.Text.Json.Serialization;
using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Events;

/// <summary>Payload of <c>session:created</c>: a session shell was started for a command of this run.</summary>
public sealed record SessionCreatedPayload : ExecEventPayload
{
    [JsonIgnore]
    public override string EventType => ExecEventTypes.SessionCreated;

    public required string SessionId { get; init; }

    /// <summary>The pid we started: the shell, or bubblewrap around it.</summary>
    public required int ShellPid { get; init; }

    public required string Shell { get; init; }

    public required string Cwd { get; init; }

    public required TerminalSize Terminal { get; init; }

    public required bool Sandboxed { get; init; }

    /// <summary>A session with this id existed but had ended: why (this one replaces it).</summary>
    public string? ReplacedBecause { get; init; }
}
