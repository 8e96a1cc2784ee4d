using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Orchestrator.Core.Commands;
using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Orchestration;

/// <summary>
/// Bounded retries of transient failures with exponential backoff: the delay before retry n is
/// <c>InitialDelay × 2^(n-1)</c>, capped at <c>MaxDelay</c>. A failure is transient when its exit
/// code is listed or its output matches a listed pattern. MaxAttempts counts the first attempt.
/// </summary>
public sealed record RetryPolicy(
    int MaxAttempts,
    TimeSpan InitialDelay,
    TimeSpan MaxDelay,
    ImmutableArray<int> TransientExitCodes,
    ImmutableArray<Regex> TransientOutputPatterns)
{
    public const int Limit = 20;

    public static RetryPolicy Default { get; } = new(3, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10), [], []);

    public TimeSpan DelayBefore(int retry)
    {
        double ms = InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, retry - 1));
        return TimeSpan.FromMilliseconds(Math.Min(ms, MaxDelay.TotalMilliseconds));
    }

    /// <summary>Why a failed attempt counts as transient (<c>transient-exit-code</c> / <c>transient-output</c>) and the evidence, or null.</summary>
    public (string Reason, string Evidence)? Transient(CommandResult result)
    {
        if (result.Status != Runs.CommandStatus.Failed || result.ExitCode is not int code)
        {
            return null;
        }

        if (TransientExitCodes.Contains(code))
        {
            return ("transient-exit-code", $"exit code {code}");
        }

        foreach (var pattern in TransientOutputPatterns)
        {
            foreach (string text in (ReadOnlySpan<string>)[result.Stderr.Text, result.Stdout.Text])
            {
                var match = pattern.Match(text);
                if (match.Success)
                {
                    return ("transient-output", match.Value.Length <= 200 ? match.Value : match.Value[..200]);
                }
            }
        }

        return null;
    }

    public void Validate()
    {
        if (MaxAttempts is < 1 or > Limit)
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest, $"The number of attempts must be between 1 and {Limit} (got {MaxAttempts}).");
        }

        if (InitialDelay < TimeSpan.Zero || MaxDelay < TimeSpan.Zero)
        {
            throw new OrchestratorException(OrchestratorErrorCode.InvalidRequest, "Retry delays cannot be negative.");
        }
    }
}
