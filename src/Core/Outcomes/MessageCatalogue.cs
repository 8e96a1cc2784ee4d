using System.Globalization;

namespace Orchestrator.Core.Outcomes;

/// <summary>
/// The text of every outcome message, once: the MSBuild tasks, the Cake aliases and the CLI render
/// these, so the same failure reads the same in every door (docs/msbuild.md lists the codes).
/// </summary>
public static class MessageCatalogue
{
    public static OutcomeMessage ExitCode(string title, int? exitCode, string manifest) =>
        Error("ORCH0100", $"The command \"{title}\" exited with code {Code(exitCode)}. Manifest: {manifest}");

    public static OutcomeMessage ExitCodePossiblyDenied(string title, int? exitCode, string detail, string manifest) =>
        Error("ORCH0100", $"The command \"{title}\" exited with code {Code(exitCode)}: {detail}. Manifest: {manifest}");

    public static OutcomeMessage TimedOut(string title, TimeSpan? timeout, string signals, string manifest) =>
        Error("ORCH0101", $"The command \"{title}\" timed out after {Milliseconds(timeout)} ms and its process tree was ended ({signals}). Manifest: {manifest}");

    public static OutcomeMessage Cancelled(string title, string signals, string manifest) =>
        Error("ORCH0102", $"The command \"{title}\" was cancelled and its process tree was ended ({signals}). Manifest: {manifest}");

    public static OutcomeMessage StartFailed(string title, string reason, string manifest) =>
        Error("ORCH0103", $"The command \"{title}\" could not start: {reason} Manifest: {manifest}");

    public static OutcomeMessage RecordingFailed(string title, string reason, string manifest) =>
        Error("ORCH0104", $"The command \"{title}\" ran but its output could not be recorded: {reason} Manifest: {manifest}");

    public static OutcomeMessage KilledBySignal(string title, string signal, int? exitCode, string manifest) =>
        Error("ORCH0105", $"The command \"{title}\" was killed by {signal} (exit code {Code(exitCode)}). Manifest: {manifest}");

    public static OutcomeMessage Denied(string title, string? detail, string manifest) =>
        Error("ORCH0106", $"The command \"{title}\" was not allowed to run: {detail} Manifest: {manifest}");

    public static OutcomeMessage SandboxUnavailable(string title, string? detail, string manifest) =>
        Error("ORCH0107", $"The command \"{title}\" did not run because no sandbox is available: {detail} Manifest: {manifest}");

    public static OutcomeMessage SessionEnded(string title, string reason, string manifest) =>
        Error("ORCH0108", $"The command \"{title}\" has no exit status: {reason} The next use of the session starts a new shell. Manifest: {manifest}");

    public static OutcomeMessage LimitExceeded(string title, string reason, string manifest) =>
        Error("ORCH0109", $"The command \"{title}\" was stopped by a sandbox limit: {reason} Raise sandbox.maxProcesses or sandbox.maxMemoryBytes if it needs more. Manifest: {manifest}");

    public static OutcomeMessage OutputDrainTimedOut(string title, TimeSpan drain, string manifest) =>
        new("ORCH1001", OutcomeSeverity.Warning,
            $"The command \"{title}\" exited but a process it started kept its output open; stopped reading after {Milliseconds(drain)} ms. Manifest: {manifest}");

    public static OutcomeMessage ExitCodeIgnored(string title, int? exitCode, string manifest) =>
        new("ORCH1002", OutcomeSeverity.Message, $"The command \"{title}\" exited with code {Code(exitCode)} (ignored: IgnoreExitCode is true). Manifest: {manifest}");

    /// <summary>An approved escalation is the policy working, not a problem: a message, so warnings-as-errors builds keep passing.</summary>
    public static OutcomeMessage Escalated(string title, string approvalSource, string evidence, string manifest) =>
        new("ORCH1004", OutcomeSeverity.Message,
            $"The sandbox refused the command \"{title}\"; it ran outside the sandbox with an approval from {approvalSource} ({evidence}). Manifest: {manifest}");

    // ---- pipelines, guardrails, diagnostics and reviews ----

    public static OutcomeMessage PipelineFailed(string pipeline, string? detail, string resumeToken, string manifest) =>
        Error("ORCH0110", $"The pipeline \"{pipeline}\" failed: {detail}. Resume token: {resumeToken} (resume it with orchestrator resume, OrchestratorResume or the resume alias). Manifest: {manifest}");

    public static OutcomeMessage PipelineCancelled(string pipeline, string manifest) =>
        Error("ORCH0111", $"The pipeline \"{pipeline}\" was cancelled. Manifest: {manifest}");

    public static OutcomeMessage GuardrailsFailed(string summary, string manifest) =>
        Error("ORCH0112", $"Guardrails recommend {summary} Manifest: {manifest}");

    /// <summary>A <c>needs-review</c>: a warning, or an error when the door was asked to fail on it.</summary>
    public static OutcomeMessage GuardrailsNeedReview(string summary, string manifest, bool asError) => asError
        ? Error("ORCH0113", $"Guardrails recommend {summary} (failing on needs-review was asked for). Manifest: {manifest}")
        : new("ORCH1007", OutcomeSeverity.Warning, $"Guardrails recommend {summary} Manifest: {manifest}");

    public static OutcomeMessage GuardrailsPassed(string summary, string manifest) =>
        new("ORCH1008", OutcomeSeverity.Message, $"Guardrails: {summary} Manifest: {manifest}");

    public static OutcomeMessage DiagnosticsCheckFailed(string check, string? detail, string manifest) =>
        Error("ORCH0114", $"Diagnostics check \"{check}\" failed: {detail} Manifest: {manifest}");

    public static OutcomeMessage ReviewRecommendsFail(string runId, int failedCommands, string review) =>
        Error("ORCH0502", $"The review of run {runId} recommends fail ({failedCommands} failed command(s)). Review: {review}");

    // ---- the Core refused or failed before or around a run ----

    /// <summary>
    /// A Core failure as its ORCH code and text. A missing or corrupt run is <c>ORCH0500</c>/<c>ORCH0501</c>
    /// when a review asked for it and <c>ORCH0012</c>/<c>ORCH0013</c> when a resume did;
    /// <paramref name="hint"/> is the door's own next step (an MSBuild property to set, say).
    /// </summary>
    public static OutcomeMessage Failure(OrchestratorException failure, bool review = false, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(failure);
        string code = failure.Code switch
        {
            OrchestratorErrorCode.InvalidTaskId => "ORCH0001",
            OrchestratorErrorCode.RunsRootNotWritable => "ORCH0002",
            OrchestratorErrorCode.InvalidRequest or OrchestratorErrorCode.InvalidRunId => "ORCH0008",
            OrchestratorErrorCode.InvalidConfiguration => "ORCH0009",
            OrchestratorErrorCode.UnknownPipeline => "ORCH0010",
            OrchestratorErrorCode.ResumeRefused => "ORCH0011",
            OrchestratorErrorCode.RunNotFound => review ? "ORCH0500" : "ORCH0012",
            OrchestratorErrorCode.CorruptRunRecord => review ? "ORCH0501" : "ORCH0013",
            _ => "ORCH0900",
        };
        if (code == "ORCH0900")
        {
            return InternalFailure(failure.Message);
        }

        return Error(code, hint is null ? failure.Message : $"{failure.Message} {hint}");
    }

    /// <summary>Something the Core did not expect (an I/O error from the platform, say): a bug report's first line.</summary>
    public static OutcomeMessage InternalFailure(string message) =>
        Error("ORCH0900", $"The Orchestrator failed unexpectedly: {message}");

    // ---- a door's input, before anything runs ----

    public static OutcomeMessage InvalidTaskId(string value, string reason) =>
        Error("ORCH0001", $"Invalid task id '{value}': {reason}.");

    public static OutcomeMessage NothingToRun(string command, string argv, string scriptFile) =>
        Error("ORCH0003", $"Nothing to run: set {command}, {argv} or {scriptFile}.");

    public static OutcomeMessage ConflictingCommand(string command, string argv, string scriptFile, IEnumerable<string> given) =>
        Error("ORCH0004", $"Set only one of {command}, {argv} and {scriptFile} (got {string.Join(", ", given)}).");

    public static OutcomeMessage InvalidEnvironmentEntry(string parameter, string entry, string problem) =>
        Error("ORCH0005", $"The {parameter} entry \"{entry}\" is invalid: {problem} (use NAME=value).");

    public static OutcomeMessage InvalidValue(string parameter, string value, string hint) =>
        Error("ORCH0006", $"Invalid value \"{value}\" for parameter {parameter}: {hint}.");

    public static OutcomeMessage ScriptNotFound(string path) =>
        Error("ORCH0007", $"The script file \"{path}\" does not exist.");

    private static OutcomeMessage Error(string code, string text) => new(code, OutcomeSeverity.Error, text);

    private static string Code(int? exitCode) => exitCode is int code ? code.ToString(CultureInfo.InvariantCulture) : "-1";

    private static string Milliseconds(TimeSpan? span) =>
        span is TimeSpan t ? ((long)Math.Ceiling(t.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) : "?";
}
