using System.Text.Json.Serialization;

namespace Orchestrator.Core.Events;

/// <summary>Payload of <c>exec:begin</c>: the command has been started (or is about to fail to start).</summary>
public sealed record ExecBeginPayload : ExecEventPayload
{
    [JsonIgnore]
    public override string EventType => ExecEventTypes.ExecBegin;

    public required string ExecId { get; init; }

    public required int Index { get; init; }

    public required string Title { get; init; }

    /// <summary>The tool run this exec is an attempt of.</summary>
    public string? ToolRunId { get; init; }

    public int? Attempt { get; init; }

    /// <summary><c>sandboxed</c>, <c>escalated</c>, <c>unsandboxed</c>, <c>unavailable</c> or <c>failed</c>.</summary>
    public string? Sandbox { get; init; }

    public required string Command { get; init; }

    public IReadOnlyList<string>? Argv { get; init; }

    public required bool Shell { get; init; }

    public required string Cwd { get; init; }

    /// <summary>Absent when the process could not be started.</summary>
    public int? Pid { get; init; }

    public bool Pty { get; init; }

    /// <summary>The session it runs in (its pid is then the session shell's).</summary>
    public string? SessionId { get; init; }

    public required CommandLogPaths Logs { get; init; }
}
