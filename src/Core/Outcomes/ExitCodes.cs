namespace Orchestrator.Core.Outcomes;

/// <summary>
/// The exit codes the CLI uses (docs/cli.md#exit-codes), here because the outcome of a command decides them. Otherwise `exec` exits with the
/// command's own code. Chosen from the sysexits range (64-78) and the shell conventions (124-130)
/// so they do not collide with the 0/1/2 most tools use; the manifest always tells which it was.
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>EX_USAGE: unknown flag, missing command, malformed value.</summary>
    public const int Usage = 64;

    /// <summary>EX_DATAERR: `verify` found the run record invalid or altered.</summary>
    public const int VerifyFailed = 65;

    /// <summary>EX_NOINPUT: the run or manifest asked for does not exist.</summary>
    public const int NotFound = 66;

    /// <summary>EX_UNAVAILABLE: the sandbox (or a terminal) is needed but not available.</summary>
    public const int Unavailable = 69;

    /// <summary>EX_SOFTWARE: an internal error of the orchestrator.</summary>
    public const int Internal = 70;

    /// <summary>EX_CANTCREAT: the runs root cannot be written.</summary>
    public const int RunsRootNotWritable = 73;

    /// <summary>EX_IOERR: stdout was closed by its reader (EPIPE) before the run ended; the run itself is recorded in full.</summary>
    public const int OutputClosed = 74;

    /// <summary>EX_TEMPFAIL: `status --watch` gave up on a run whose writer stopped (stale heartbeat); `verify`: the run never completed.</summary>
    public const int Stale = 75;

    /// <summary>EX_NOPERM: an approval the command needed was denied.</summary>
    public const int ApprovalDenied = 77;

    /// <summary>EX_CONFIG: orchestrator.yaml, the user file or an ORCHESTRATOR_* variable is invalid.</summary>
    public const int Configuration = 78;

    /// <summary>resume refused: the pipeline definition changed, or the run succeeded or is still running.</summary>
    public const int ResumeRefused = 79;

    /// <summary>As GNU timeout: the command ran past --timeout and was ended.</summary>
    public const int TimedOut = 124;

    /// <summary>As a shell: the command exists but cannot be executed.</summary>
    public const int CannotExecute = 126;

    /// <summary>As a shell: the program or the working directory was not found.</summary>
    public const int CommandNotFound = 127;

    /// <summary>128 + SIGINT: the run was cancelled (Ctrl+C, SIGINT or SIGTERM).</summary>
    public const int Cancelled = 130;

    /// <summary>A command killed by a signal exits 128 + the signal number, as in a shell.</summary>
    public const int SignalBase = 128;
}
