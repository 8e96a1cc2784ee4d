namespace Orchestrator.Cli;

/// <summary>A failure of the CLI's own with its documented exit code; the message goes to stderr.</summary>
internal sealed class CliError(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>A door input problem from the catalogue: usage (64), worded as every door words it.</summary>
    public static CliError Usage(Core.Outcomes.OutcomeMessage problem) => new(ExitCodes.Usage, $"error {problem}");
}
