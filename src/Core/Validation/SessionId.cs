namespace Orchestrator.Core.Validation;

/// <summary>The id of a reusable PTY session: 1-64 of <c>[A-Za-z0-9._-]</c>, not "." or "..".</summary>
public static class SessionId
{
    public const int MaxLength = 64;

    /// <summary>True when <paramref name="value"/> is a session id; otherwise <paramref name="problem"/> says why not.</summary>
    public static bool IsValid(string? value, out string? problem)
    {
        problem = IdentifierRules.Problem(value, MaxLength, "session ids");
        return problem is null;
    }
}
