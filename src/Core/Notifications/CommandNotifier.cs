using System.Diagnostics;
using System.Text;
using Orchestrator.Core.Exec;

namespace Orchestrator.Core.Notifications;

/// <summary>
/// Runs a <c>command:</c> program with the summary JSON as its last argument (as Codex's notify
/// does), stdin on /dev/null, through the project's process runtime: its own process group, a
/// bounded run (SIGTERM to the group at the timeout, SIGKILL after the grace period) and start
/// failures as data. Never retried: a program may have done its work before failing.
/// </summary>
internal static class CommandNotifier
{
    public static async Task<NotificationDelivery> DeliverAsync(
        NotificationTarget target,
        ReadOnlyMemory<byte> summaryJson,
        NotificationOptions options,
        CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        string program = target.Arguments[0];
        string directory = Path.GetFullPath(options.WorkingDirectory ?? Directory.GetCurrentDirectory());
        var environment = EnvironmentBuilder.Compose(null);
        environment.TryGetValue("PATH", out string? path);

        var (executable, resolveError) = ProgramResolver.Resolve(program, directory, path);
        if (resolveError is not null)
        {
            return Result(target, started, 0, StartFailure(resolveError, program), null);
        }

        var launch = new ProcessLaunch(
            executable!,
            [.. target.Arguments, Encoding.UTF8.GetString(summaryJson.Span)],
            directory,
            EnvironmentBuilder.ToEntries(environment));
        var capture = new BoundedOutputCapture(options.OutputCaptureBytes);
        var limits = new ProcessLimits(options.CommandTimeout, options.CommandKillGracePeriod, options.CommandDrainTimeout);

        var outcome = await ProcessRunner.RunAsync(launch, capture, limits, null, cancellationToken).ConfigureAwait(false);
        if (outcome.StartError is { } startError)
        {
            return Result(target, started, 0, StartFailure(startError, program), capture);
        }

        string? failure = outcome switch
        {
            { Termination: { Reason: TerminationReason.Cancelled } } => "cancelled",
            { Termination: { Reason: TerminationReason.Timeout } termination } =>
                $"timed out after {DurationText.Format(options.CommandTimeout)}" + (termination.Forced
                    ? $" (killed with SIGKILL: still running {DurationText.Format(termination.GracePeriod)} after SIGTERM)"
                    : " (stopped with SIGTERM)"),
            { Signal: not null } => $"killed by {outcome.SignalName}",
            { ExitCode: 0 } => null,
            { ExitCode: int code } => capture.FirstStderrLine is { } line ? $"exit code {code}: {line}" : $"exit code {code}",
            _ => "the program's exit status could not be collected",
        };

        return Result(target, started, 1, failure, capture);
    }

    private static string StartFailure(ProcessStartError error, string program) => error.Kind switch
    {
        StartFailureKind.ProgramNotFound => $"program not found: {program}",
        StartFailureKind.PermissionDenied => $"permission denied: {program}",
        _ => error.Message,
    };

    private static NotificationDelivery Result(NotificationTarget target, long started, int attempts, string? failure, BoundedOutputCapture? capture) => new()
    {
        Target = target.Redacted,
        Kind = target.KindName,
        Delivered = failure is null,
        Attempts = attempts,
        DurationMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        Failure = failure,
        Stdout = capture?.Stdout,
        Stderr = capture?.Stderr,
    };
}
