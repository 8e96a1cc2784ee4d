using Orchestrator.Core.Commands;
using Orchestrator.Core.Exec;
using Orchestrator.Core.Native;
using Orchestrator.Core.Orchestration;
using Orchestrator.Core.Runs;

namespace Orchestrator.Core.Outcomes;

/// <summary>
/// Classifies a finished tool run once for every door: which kind of outcome it is, the catalogue
/// message a door fails with, the notices it logs besides, and the CLI's exit code.
/// </summary>
public static class CommandOutcomes
{
    /// <param name="toolRun">The command's tool run (its last attempt decides).</param>
    /// <param name="manifestPath">Named at the end of every message.</param>
    /// <param name="ignoreExitCode">
    /// As MSBuild's <c>Exec</c>: a non-zero exit code, or a death by a signal the command did not get
    /// from us, is accepted. A timeout, a cancellation, a start or recording failure, a limit and a
    /// denial are never ignored.
    /// </param>
    /// <param name="drainTimeout">How long output was read after the main process exited (for ORCH1001).</param>
    public static CommandOutcome Of(ToolRunResult toolRun, string manifestPath, bool ignoreExitCode = false, TimeSpan? drainTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(toolRun);
        var command = toolRun.Final;
        string title = Title(toolRun);
        var notices = new List<OutcomeMessage>(2);
        if (command?.OutputDrainTimedOut == true)
        {
            notices.Add(MessageCatalogue.OutputDrainTimedOut(title, drainTimeout ?? TimeSpan.FromSeconds(2), manifestPath));
        }

        if (toolRun.SandboxState == SandboxState.Escalated && toolRun.Attempts.Count > 1)
        {
            string evidence = toolRun.AttemptRecords.Count > 0 ? toolRun.AttemptRecords[0].Evidence ?? string.Empty : string.Empty;
            notices.Add(MessageCatalogue.Escalated(title, WireNames.Of(toolRun.ApprovalSource), evidence, manifestPath));
        }

        if (toolRun.Status == ToolRunStatus.Denied)
        {
            return toolRun.SandboxState is SandboxState.Unavailable or SandboxState.Failed
                ? new(OutcomeKind.SandboxUnavailable, MessageCatalogue.SandboxUnavailable(title, toolRun.StatusDetail, manifestPath), notices, ExitCodes.Unavailable)
                : new(OutcomeKind.Denied, MessageCatalogue.Denied(title, toolRun.StatusDetail, manifestPath), notices, ExitCodes.ApprovalDenied);
        }

        if (command is null)
        {
            // Not denied and never attempted: nothing the command did, so nothing to report but the run's own state.
            return new(OutcomeKind.Cancelled, MessageCatalogue.Cancelled(title, "it never started", manifestPath), notices, ExitCodes.Cancelled);
        }

        CommandOutcome Fail(OutcomeKind kind, OutcomeMessage error, int exitCode) => new(kind, error, notices, exitCode);

        return command.Status switch
        {
            CommandStatus.Succeeded => new(OutcomeKind.Succeeded, null, notices, ExitCodes.Success),
            CommandStatus.Failed or CommandStatus.TimedOut when command.Error is { Code: "LimitExceeded" } limit =>
                Fail(OutcomeKind.LimitExceeded, MessageCatalogue.LimitExceeded(title, limit.Message, manifestPath), OwnStatus(command, fallback: 1)),
            CommandStatus.TimedOut => Fail(OutcomeKind.TimedOut, MessageCatalogue.TimedOut(title, command.Timeout, Signals(command), manifestPath), ExitCodes.TimedOut),
            CommandStatus.Cancelled => Fail(OutcomeKind.Cancelled, MessageCatalogue.Cancelled(title, Signals(command), manifestPath), ExitCodes.Cancelled),
            _ when command.Error is { Code: "OutputRecordingFailed" } recording =>
                Fail(OutcomeKind.RecordingFailed, MessageCatalogue.RecordingFailed(title, recording.Message, manifestPath), ExitCodes.RunsRootNotWritable),
            _ when command.Error is { Code: "SessionEnded" } ended =>
                Fail(OutcomeKind.SessionEnded, MessageCatalogue.SessionEnded(title, ended.Message, manifestPath), ExitCodes.Internal),
            _ when command.Error is { } start =>
                Fail(OutcomeKind.StartFailed, MessageCatalogue.StartFailed(title, start.Message, manifestPath), StartFailureExitCode(start.Code)),
            _ when ignoreExitCode => new(OutcomeKind.ExitCodeIgnored, null, [.. notices, MessageCatalogue.ExitCodeIgnored(title, command.ExitCode, manifestPath)], ExitCodes.Success),
            _ when command.Signal is { } signal =>
                Fail(OutcomeKind.KilledBySignal, MessageCatalogue.KilledBySignal(title, signal, command.ExitCode, manifestPath), OwnStatus(command, fallback: ExitCodes.Internal)),
            _ when toolRun.PossiblyDenied =>
                Fail(OutcomeKind.ExitCodePossiblyDenied, MessageCatalogue.ExitCodePossiblyDenied(title, command.ExitCode, toolRun.StatusDetail ?? string.Empty, manifestPath), OwnStatus(command, fallback: ExitCodes.Internal)),
            _ => Fail(OutcomeKind.ExitCode, MessageCatalogue.ExitCode(title, command.ExitCode, manifestPath), OwnStatus(command, fallback: ExitCodes.Internal)),
        };
    }

    /// <summary>The command as messages show it: its recorded title (secrets masked), else the tool run's command, control characters escaped.</summary>
    public static string Title(ToolRunResult toolRun)
    {
        ArgumentNullException.ThrowIfNull(toolRun);
        return toolRun.Final?.Record?.Title ?? CommandDisplay.Escape(toolRun.Command);
    }

    /// <summary>The command's own status as a shell reports it: 128+N for a signal, else its exit code.</summary>
    private static int OwnStatus(CommandResult command, int fallback) =>
        command.Signal is { } signal ? ExitCodes.SignalBase + SignalNames.ToNumber(signal)
        : command.ExitCode is int code and not 0 ? code
        : fallback;

    private static int StartFailureExitCode(string code) => code switch
    {
        nameof(StartFailureKind.ProgramNotFound) or nameof(StartFailureKind.WorkingDirectoryNotFound) => ExitCodes.CommandNotFound,
        nameof(StartFailureKind.PermissionDenied) or nameof(StartFailureKind.ExecFormatError) or nameof(StartFailureKind.ArgumentListTooLong) => ExitCodes.CannotExecute,
        nameof(StartFailureKind.TerminalUnavailable) => ExitCodes.Unavailable,
        _ => ExitCodes.Internal,
    };

    private static string Signals(CommandResult command) =>
        command.Termination is { Signals.Count: > 0 } t ? string.Join(" then ", t.Signals) : "it had already exited";
}
