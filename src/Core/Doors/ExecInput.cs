namespace Orchestrator.Core.Doors;

/// <summary>
/// A command as a door received it, before anything is checked: text where the door has text
/// (MSBuild parameters, CLI flags), and the door's own values turned into the same text where it
/// has typed ones (Cake), so that one reader checks every door the same way. Read it with
/// <see cref="ExecInputReader"/>.
/// </summary>
public sealed record ExecInput
{
    /// <summary>A shell line (one of <see cref="Command"/>, <see cref="Argv"/>, <see cref="ScriptFile"/>).</summary>
    public string? Command { get; init; }

    /// <summary>The program and its arguments.</summary>
    public IReadOnlyList<string>? Argv { get; init; }

    /// <summary>A script run with <c>/bin/sh</c>; relative to <see cref="WorkingDirectory"/>.</summary>
    public string? ScriptFile { get; init; }

    /// <summary>The script's arguments.</summary>
    public IReadOnlyList<string>? ScriptArguments { get; init; }

    /// <summary>The command's working directory, absolute (the door knows what it is relative to).</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary><c>NAME=value</c> entries (MSBuild items, <c>--env</c>).</summary>
    public IReadOnlyList<string>? EnvironmentEntries { get; init; }

    /// <summary>Name/value pairs (Cake, the SDKs); a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?>? EnvironmentVariables { get; init; }

    /// <summary>A duration (<c>250ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, or a plain number in <see cref="PlainDurationUnit"/>); null or blank for none.</summary>
    public string? Timeout { get; init; }

    /// <summary>What a plain number means in <see cref="Timeout"/>: milliseconds for MSBuild (as <c>Exec</c>), seconds for the CLI.</summary>
    public Validation.PlainNumberUnit PlainDurationUnit { get; init; } = Validation.PlainNumberUnit.Seconds;

    /// <summary>The command's id; null or blank to derive one.</summary>
    public string? CommandId { get; init; }

    /// <summary>What logs call the command; null or blank for the command itself.</summary>
    public string? Title { get; init; }

    /// <summary>Ask to run outside the sandbox from the start.</summary>
    public bool RequestEscalation { get; init; }

    /// <summary>Run on a pseudo-terminal.</summary>
    public bool UsePty { get; init; }

    /// <summary>The PTY session to run in; null or blank for none.</summary>
    public string? SessionId { get; init; }

    /// <summary>Keep the session after the command.</summary>
    public bool PersistSession { get; init; } = true;

    /// <summary>Terminal width, 1-1000; null or blank for the default.</summary>
    public string? TerminalColumns { get; init; }

    /// <summary>Terminal height, 1-1000; null or blank for the default.</summary>
    public string? TerminalRows { get; init; }
}
