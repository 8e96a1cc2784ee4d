using System.Text.Json.Serialization;
using Orchestrator.Core.Commands.Sessions;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Json;

namespace Orchestrator.Core.Runs;

/// <summary>A session a command of the run ran in (manifest <c>sessions[]</c>), as last seen by the run.</summary>
public sealed record SessionRecord
{
    public required string Id { get; init; }

    /// <summary><c>idle</c>, <c>running</c>, <c>exited</c> (the shell ended) or <c>disposed</c>.</summary>
    public required string Status { get; init; }

    public required int ShellPid { get; init; }

    public required string Shell { get; init; }

    public required bool Sandboxed { get; init; }

    public required TerminalSize Terminal { get; init; }

    [JsonConverter(typeof(UtcTimestampConverter))] // the generated writer ignores converters given only in the options
    public required DateTimeOffset CreatedAt { get; init; }

    [JsonConverter(typeof(UtcTimestampConverter))] // the generated writer ignores converters given only in the options
    public required DateTimeOffset LastUsedAt { get; init; }

    /// <summary>Commands the session has run in its life (this run's and earlier runs').</summary>
    public required int CommandCount { get; init; }

    /// <summary>Whether this run started it (false: reused from an earlier run of this process).</summary>
    public required bool CreatedByRun { get; init; }

    /// <summary>The environment the shell started with; secret-looking values as <c>***</c>.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>Why it can no longer run commands, or why it was disposed.</summary>
    public string? EndReason { get; init; }

    public static SessionRecord From(SessionInfo info, bool createdByRun) => new()
    {
        Id = info.Id,
        Status = info.Status,
        ShellPid = info.ShellPid,
        Shell = info.Shell,
        Sandboxed = info.Sandboxed,
        Terminal = info.Terminal,
        CreatedAt = info.CreatedAt,
        LastUsedAt = info.LastUsedAt,
        CommandCount = info.CommandCount,
        CreatedByRun = createdByRun,
        Environment = info.Environment,
        EndReason = info.EndReason,
    };
}
