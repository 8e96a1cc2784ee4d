using System.Collections.Immutable;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Commands;

/// <summary>
/// One command to run through the Orchestrator. It cannot hold an invalid value: setting an
/// environment variable name, session id, command id, timeout or terminal size that could not be
/// run throws <see cref="OrchestratorException"/> (<see cref="OrchestratorErrorCode.InvalidRequest"/>)
/// where it is set. Doors read their parameters through <see cref="Doors.ExecInputReader"/>, which reports
/// the same problems as messages instead.
/// </summary>
public sealed record ExecRequest
{
    private readonly ImmutableDictionary<string, string?> _environment = ImmutableDictionary<string, string?>.Empty;
    private readonly TimeSpan? _timeout;
    private readonly string? _id;
    private readonly TerminalSize? _terminal;
    private readonly string? _sessionId;

    public required CommandSpec Command { get; init; }

    /// <summary>Working directory; relative paths are resolved against the run's directory. Default: the run's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Overlay on the inherited environment: a value adds or overrides, null removes.</summary>
    public ImmutableDictionary<string, string?> Environment
    {
        get => _environment;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            foreach (var (name, variable) in value)
            {
                if (EnvironmentOverlay.Problem(name, variable) is { } problem)
                {
                    throw Invalid($"Invalid environment variable '{name}': {problem}.");
                }
            }

            _environment = value;
        }
    }

    /// <summary>End the process tree after this long; null = no timeout.</summary>
    public TimeSpan? Timeout
    {
        get => _timeout;
        init => _timeout = value is TimeSpan t && t <= TimeSpan.Zero ? throw Invalid($"The timeout must be positive (got {t}).") : value;
    }

    /// <summary>Stable id (<c>[A-Za-z0-9._-]</c>, names the raw logs); default: derived from the program name.</summary>
    public string? Id
    {
        get => _id;
        init => _id = value is not null && !CommandId.IsValid(value, out string? problem) ? throw Invalid($"Invalid command id '{value}': {problem}.") : value;
    }

    /// <summary>What the build log and the manifest call the command; default: the command itself.</summary>
    public string? Title { get; init; }

    /// <summary>The tool name recorded for the call (<c>exec</c> by default; pipelines use the stage).</summary>
    public string Tool { get; init; } = "exec";

    /// <summary>
    /// Ask to run outside the sandbox from the start (a command known to need the network or a
    /// cache outside the workspace). Needs an approval under every policy, as an escalation does.
    /// </summary>
    public bool RequestEscalation { get; init; }

    /// <summary>
    /// Files or directories the command must be able to read inside the sandbox although they lie
    /// under the sandbox's private /tmp (a script the door was told to run, for instance).
    /// </summary>
    public ImmutableArray<string> ReadablePaths { get; init; } = [];

    /// <summary>
    /// Run on a pseudo-terminal instead of pipes (tools that change behaviour without a terminal:
    /// colours, progress, prompts). One merged output stream. Pipes stay the default, as in CI.
    /// </summary>
    public bool UsePty { get; init; }

    /// <summary>The terminal's size with <see cref="UsePty"/>; default 120x40.</summary>
    public TerminalSize? Terminal
    {
        get => _terminal;
        init
        {
            value?.Validate();
            _terminal = value;
        }
    }

    /// <summary>
    /// Run in the PTY session with this id (1-64 of [A-Za-z0-9._-]): the session's shell keeps its
    /// directory, variables and functions between commands. Started on first use (in the command's
    /// working directory, environment and sandbox), reused after; a session whose shell ended is
    /// replaced, and so is one whose sandbox differs from the command's. Implies a terminal.
    /// </summary>
    public string? SessionId
    {
        get => _sessionId;
        init => _sessionId = value is not null && !Validation.SessionId.IsValid(value, out _)
            ? throw Invalid($"Invalid session id '{value}': use 1-64 characters from {IdentifierRules.Alphabet}.")
            : value;
    }

    /// <summary>Keep the session for later commands (default); false ends it after this command.</summary>
    public bool PersistSession { get; init; } = true;

    /// <summary>This command's approval policy instead of the run's (a pipeline step's <c>approvalPolicy</c>).</summary>
    public Orchestration.ApprovalPolicy? ApprovalPolicy { get; init; }

    /// <summary>This command's sandbox mode instead of the run's (a pipeline step's <c>sandbox</c>).</summary>
    public Orchestration.SandboxMode? SandboxMode { get; init; }

    /// <summary>The pipeline stage the command belongs to, recorded in the manifest.</summary>
    public string? Stage { get; init; }

    private static OrchestratorException Invalid(string message) => new(OrchestratorErrorCode.InvalidRequest, message);
}
