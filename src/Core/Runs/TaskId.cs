namespace Orchestrator.Core.Runs;

/// <summary>
/// Task id rules: 1-64 characters of <c>[A-Za-z0-9._-]</c>, never <c>.</c> or <c>..</c>, so a task
/// id can never steer a path outside the runs root.
/// </summary>
public static class TaskId
{
    public const int MaxLength = 64;

    public const string Default = "default";

    public const string EnvironmentVariable = "MCP_RUNNER_TASK_ID";

    public static bool IsValid(string? value, out string? reason)
    {
        reason = Validation.IdentifierRules.Problem(value, MaxLength, "task ids");
        return reason is null;
    }

    /// <summary>Returns the id or throws <see cref="OrchestratorException"/> naming the rule it breaks.</summary>
    public static string Validate(string? value)
    {
        if (!IsValid(value, out string? reason))
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidTaskId, $"Invalid task id '{value}': {reason}.");
        }

        return value!;
    }

    /// <summary>
    /// Explicit value &gt; <c>MCP_RUNNER_TASK_ID</c> &gt; configured &gt; <c>default</c>; the winner is
    /// validated. An explicit value is one that is not null: an explicit empty string is an invalid
    /// task id, not a request for the default (doors that cannot tell "unset" from "empty", like
    /// MSBuild properties, pass null for both).
    /// </summary>
    public static string Resolve(string? explicitValue, Func<string, string?> environment, string? configured = null)
    {
        string? chosen = explicitValue is not null ? explicitValue
            : !string.IsNullOrEmpty(environment(EnvironmentVariable)) ? environment(EnvironmentVariable)
            : !string.IsNullOrEmpty(configured) ? configured
            : Default;
        return Validate(chosen);
    }
}
