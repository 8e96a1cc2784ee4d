using System.Collections.Immutable;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Security;

namespace Orchestrator.Core.Commands.Sessions;

/// <summary>How a session's shell starts.</summary>
/// <param name="WorkingDirectory">The shell's starting directory.</param>
/// <param name="Environment">Overlay on this process's environment (null value removes).</param>
/// <param name="Terminal">The terminal size.</param>
/// <param name="Sandbox">The sandbox the shell (and so every command in it) runs in; null: none.</param>
public sealed record SessionStartOptions(
    string WorkingDirectory,
    ImmutableDictionary<string, string?> Environment,
    TerminalSize Terminal,
    SandboxLaunch? Sandbox)
{
    /// <summary>The shell: bash when present (job control, $?), else /bin/sh.</summary>
    public string? Shell { get; init; }

    /// <summary>
    /// Configured secrets: their values are masked in the session's recorded environment snapshot
    /// (names that look secret are masked regardless).
    /// </summary>
    public SecretSet Secrets { get; init; } = SecretSet.Empty;

    /// <summary>How long the shell may take to come up.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// What the sandbox allows, as a comparable text: a session is only reused for a command that
    /// needs the same sandbox (an escalated, unsandboxed session must never serve a sandboxed command).
    /// </summary>
    public string SandboxKey => Sandbox is not { } s
        ? "none"
        : string.Join('|', s.BubblewrapPath, s.Settings.Mode, s.Settings.NetworkAccess, s.Settings.ProtectGit,
            string.Join(':', s.Settings.WritableRoots), string.Join(':', s.ProtectedPaths));
}
