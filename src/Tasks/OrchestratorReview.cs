using Microsoft.Build.Framework;
using Orchestrator.Core;
using Orchestrator.Core.Outcomes;
using Orchestrator.Core.Review;
using Orchestrator.Tasks.Logging;

namespace Orchestrator.Tasks;

/// <summary>
/// The review hand-off in a build: renders a run's manifest (default: the task's latest run) as
/// <c>review.md</c> beside it, appends it to <c>$GITHUB_STEP_SUMMARY</c> when set, and under GitHub
/// Actions logs an <c>::error</c> workflow command per failed command. Documented in docs/msbuild.md
/// and docs/review.md.
/// </summary>
public sealed class OrchestratorReview : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancel = new();

    public OrchestratorReview()
        : base(TaskStrings.ResourceManager)
    {
    }

    /// <summary>The run to review; default: the task's latest run.</summary>
    public string? RunId { get; set; }

    public string? TaskId { get; set; }

    public string? RunsRoot { get; set; }

    /// <summary>Where the TaskStateStore lives (default <c>out</c> beside the runs root).</summary>
    public string? StateRoot { get; set; }

    /// <summary>A configuration file to use instead of the repository's orchestrator.yaml.</summary>
    public string? ConfigFile { get; set; }

    /// <summary>A manifest (or run directory) to review directly; wins over TaskId/RunId. Also an output: the manifest reviewed.</summary>
    [Output]
    public string? ManifestPath { get; set; }

    /// <summary>Append the review to <c>$GITHUB_STEP_SUMMARY</c> when that variable is set (default true).</summary>
    public bool WriteStepSummary { get; set; } = true;

    /// <summary><c>true</c>/<c>false</c> forces the <c>::error</c> annotations on or off; empty (default): only when <c>GITHUB_ACTIONS=true</c>.</summary>
    public string? Annotations { get; set; }

    /// <summary>Fail the build (ORCH0502) when the recommendation is <c>fail</c>.</summary>
    public bool FailOnFailRecommendation { get; set; }

    /// <summary>The review.md written.</summary>
    [Output]
    public string? ReviewPath { get; private set; }

    /// <summary><c>pass</c>, <c>fail</c> or <c>needs-review</c>.</summary>
    [Output]
    public string? Recommendation { get; private set; }

    /// <summary>The reviewed run's status.</summary>
    [Output]
    public string? Outcome { get; private set; }

    [Output]
    public string? ReviewedRunId { get; private set; }

    [Output]
    public int FailedCommands { get; private set; }

    public void Cancel() => _cancel.Cancel();

    public override bool Execute()
    {
        bool? annotations = null;
        if (!string.IsNullOrWhiteSpace(Annotations))
        {
            if (!bool.TryParse(Annotations, out bool parsed))
            {
                Log.LogErrorWithCodeFromResources("InvalidParameter", nameof(Annotations), Annotations, "use true, false, or leave it empty");
                return false;
            }

            annotations = parsed;
        }

        string cwd = Directory.GetCurrentDirectory();
        var request = new ReviewRequest
        {
            RunId = Blank(RunId),
            TaskId = Blank(TaskId),
            RunsRoot = Blank(RunsRoot),
            StateRoot = Blank(StateRoot),
            ConfigFile = Blank(ConfigFile),
            ManifestPath = Blank(ManifestPath),
            WorkingDirectory = cwd,
            WriteStepSummary = WriteStepSummary,
            Annotations = annotations,
        };

        ReviewResult result;
        try
        {
            result = System.Threading.Tasks.Task.Run(() => new OrchestratorClient().ReviewAsync(request, _cancel.Token)).GetAwaiter().GetResult();
        }
        catch (OrchestratorException ex)
        {
            LogError(ex);
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        ReviewPath = result.ReviewPath;
        ManifestPath = result.ManifestPath;
        Recommendation = result.Recommendation;
        Outcome = result.Outcome;
        ReviewedRunId = result.RunId;
        FailedCommands = result.FailedCommands;

        // The runner takes a workflow command from any line whose text (after leading spaces, which
        // the console logger adds) starts with "::"; high importance keeps it at -v:minimal.
        foreach (string annotation in result.Annotations)
        {
            Log.LogMessage(MessageImportance.High, "{0}", annotation);
        }

        Log.LogMessageFromResources(MessageImportance.High, "ReviewWritten", result.RunId, result.Outcome, result.Recommendation, result.ReviewPath);
        if (FailOnFailRecommendation && result.Recommendation == "fail")
        {
            Log.LogOutcome(MessageCatalogue.ReviewRecommendsFail(result.RunId, result.FailedCommands, result.ReviewPath));
        }

        return !Log.HasLoggedErrors;
    }

    private void LogError(OrchestratorException ex) =>
        Log.LogOutcome(MessageCatalogue.Failure(ex, review: true, hint: ex.Code == OrchestratorErrorCode.RunsRootNotWritable
            ? "Set OrchestratorRunsRoot (RunsRoot) to a writable directory."
            : null));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
