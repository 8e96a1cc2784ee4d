namespace Orchestrator.Core.Validation;

/// <summary>
/// A command's id in the manifest and in its raw log names (<c>001-&lt;id&gt;.stdout.log</c>): 1-48 of
/// <c>[A-Za-z0-9._-]</c>, not "." or "..", shorter than a task id because it is prefixed and suffixed.
/// </summary>
public static class CommandId
{
    public const int MaxLength = 48;

    /// <summary>True when <paramref name="value"/> is a command id; otherwise <paramref name="problem"/> says why not.</summary>
    public static bool IsValid(string? value, out string? problem)
    {
        problem = IdentifierRules.Problem(value, MaxLength, "command ids");
        return problem is null;
    }
}
