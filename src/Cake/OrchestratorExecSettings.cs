using Cake.Core.Diagnostics;
using Cake.Core.IO;

namespace Cake.Orchestrator;

/// <summary>Settings of <see cref="OrchestratorExecAliases.OrchestratorExec(Cake.Core.ICakeContext, OrchestratorExecSettings)"/>. Documented in docs/cake.md.</summary>
public sealed class OrchestratorExecSettings : OrchestratorRunSettings
{
    /// <summary>A shell line run with <c>/bin/sh -c</c>.</summary>
    public string? Command { get; set; }

    /// <summary>The argv, run without a shell.</summary>
    public IList<string> Argv { get; set; } = [];

    /// <summary>A script file run with <c>/bin/sh</c>.</summary>
    public FilePath? ScriptFile { get; set; }

    /// <summary>Arguments passed to <see cref="ScriptFile"/>.</summary>
    public IList<string> ScriptArguments { get; set; } = [];

    /// <summary>Variables added to (or, with a null value, removed from) the inherited environment.</summary>
    public IDictionary<string, string?> EnvironmentVariables { get; set; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>When the process tree is ended; null = never.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Between SIGTERM and SIGKILL on timeout (default 2 s).</summary>
    public TimeSpan? KillGracePeriod { get; set; }

    /// <summary>Return a non-zero exit code as a result instead of throwing (timeouts, denials and start failures still throw).</summary>
    public bool IgnoreExitCode { get; set; }

    /// <summary>The command's id in the manifest and its raw log names.</summary>
    public string? CommandId { get; set; }

    public string? Title { get; set; }

    /// <summary>Ask to run outside the sandbox from the start; needs an approval (config rule or cache).</summary>
    public bool RequestEscalation { get; set; }

    /// <summary>Run on a pseudo-terminal (one merged output stream).</summary>
    public bool UsePty { get; set; }

    /// <summary>Run in the reusable PTY session with this id (kept for later commands of the script).</summary>
    public string? SessionId { get; set; }

    /// <summary>Keep the session after this command (default true).</summary>
    public bool PersistSession { get; set; } = true;

    /// <summary>Terminal size for UsePty/SessionId (default 120x40).</summary>
    public int? TerminalColumns { get; set; }

    public int? TerminalRows { get; set; }

    /// <summary>Bytes of output per command emitted as exec:chunk events (default 1 MiB, 0 = unlimited).</summary>
    public long? OutputEventBudget { get; set; }

    /// <summary>Head+tail bytes kept per stream in the manifest (default 64 KiB).</summary>
    public int? OutputCaptureBytes { get; set; }

    /// <summary>The Cake verbosity the command's output is logged at (default Normal: shown unless the script runs quiet/minimal).</summary>
    public Verbosity OutputVerbosity { get; set; } = Verbosity.Normal;

    /// <summary>Do not log the command line.</summary>
    public bool EchoOff { get; set; }
}
