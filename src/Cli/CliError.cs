namespace Orchestrator.Cli;

/// <summary>A failure of the CLI's own with its documented exit code; the message goes to stderr.</summary>
internal sealed class CliError(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
