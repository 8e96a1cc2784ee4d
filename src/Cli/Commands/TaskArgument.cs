using Orchestrator.Core.Runs;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// Checks a <c>--task</c> value. Left out, it is null and the task id comes from
/// <c>MCP_RUNNER_TASK_ID</c>, the configuration or <c>default</c>. Given, it must be a task id:
/// <c>--task ""</c> (an unset shell variable, <c>--task "$TASK"</c>) is a mistake that would
/// otherwise record the run under <c>default</c>, beside other tasks' runs.
/// </summary>
internal static class TaskArgument
{
    /// <exception cref="CliError">Usage (64) when the value was given but is not a task id, the empty string included.</exception>
    public static string? Check(string? value)
    {
        if (value is not null && !TaskId.IsValid(value, out string? problem))
        {
            throw new CliError(ExitCodes.Usage, value.Length == 0
                ? "--task: the task id is empty (leave --task out for the default task)."
                : $"--task '{value}': {problem}.");
        }

        return value;
    }
}
