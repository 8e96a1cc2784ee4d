namespace Orchestrator.Core.Exec;

/// <summary>Which stream a piece of output came from. A PTY merges both into <see cref="Pty"/>.</summary>
public enum OutputStreamKind
{
    Stdout,
    Stderr,
    Pty,
}
